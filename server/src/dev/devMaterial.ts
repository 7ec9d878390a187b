// Dev mode's embedded defaults: a self-signed development certificate and key and a caller key, generated once under
// a git-ignored folder and reused on the next start.
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCertificateFile } from '../keys/certificate';
import { createSelfSignedCertificate } from '../keys/selfSigned';

export const DEV_KID = 'prechat-guard-dev';

export interface DevMaterial {
  kid: string;
  privateKey: KeyObject;
  callerKey: string;
  certPath: string;
}

function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The dev material in `devDir`, generated where missing (or, for the certificate, about to expire). `onGenerated` is
 * called when something had to be generated, so a caller can say that tokens signed now are trusted by this folder only.
 */
export function ensureDevMaterial(
  devDir: string,
  nowMs: number = Date.now(),
  onGenerated: () => void = () => undefined,
): DevMaterial {
  const trustDir = path.join(devDir, 'trust');
  const certPath = path.join(trustDir, `${DEV_KID}.crt`);
  const keyPath = path.join(devDir, 'dev-signing-key.pem');
  const callerKeyPath = path.join(devDir, 'caller-key');
  mkdirSync(trustDir, { recursive: true });
  if (!existsSync(path.join(devDir, '.gitignore'))) writeFileSync(path.join(devDir, '.gitignore'), '*\n');

  const usable = existsSync(certPath) && existsSync(keyPath) && certStillValid(certPath, nowMs);
  if (!usable) {
    const { certPem, privateKeyPem } = createSelfSignedCertificate({
      commonName: 'prechat-guard development key',
      // A day of slack before now: a machine whose clock is slightly behind still trusts its own dev key.
      notBefore: new Date(nowMs - 86_400_000),
    });
    writeSecret(keyPath, privateKeyPem);
    writeFileSync(certPath, certPem);
    onGenerated();
  }
  if (!existsSync(callerKeyPath)) {
    writeSecret(callerKeyPath, `pgdev_${randomBytes(24).toString('base64url')}\n`);
    onGenerated();
  }
  return {
    kid: DEV_KID,
    privateKey: createPrivateKey(readFileSync(keyPath, 'utf8')),
    callerKey: readFileSync(callerKeyPath, 'utf8').trim(),
    certPath,
  };
}

function certStillValid(certPath: string, nowMs: number): boolean {
  try {
    const key = parseCertificateFile(DEV_KID, readFileSync(certPath, 'utf8'));
    // Renew a week early so a long-running dev service does not start failing with key_expired.
    return key.notAfter.getTime() - nowMs > 7 * 86_400_000 && key.notBefore.getTime() <= nowMs;
  } catch {
    return false;
  }
}
