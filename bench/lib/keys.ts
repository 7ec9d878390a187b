// Test and bench key material: RSA key pairs with self-signed X.509 certificates (the service's own generator,
// server/src/keys/selfSigned.ts, which dev mode uses too), written into a trust folder as `<kid>.crt` exactly as an
// admin would export them from the org. Never used for real secrets.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSelfSignedCertificate } from '../../server/src/keys/selfSigned';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The self-signed certificate, PEM. */
  certificatePem: string;
  /** The SubjectPublicKeyInfo, PEM (what hand-written verifiers usually load). */
  publicKeyPem: string;
}

export interface KeyOptions {
  bits?: number;
  /** Certificate validity; defaults to one day before now until one year after now. */
  notBefore?: Date;
  notAfter?: Date;
}

export function createSigningKey(kid: string, options: KeyOptions = {}): SigningKey {
  const now = Date.now();
  const { certPem, privateKeyPem } = createSelfSignedCertificate({
    commonName: `prechat-guard test-only ${kid}`,
    modulusLength: options.bits ?? 2048,
    notBefore: options.notBefore ?? new Date(now - 86_400_000),
    notAfter: options.notAfter ?? new Date(now + 365 * 86_400_000),
  });
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return {
    kid,
    privateKey,
    publicKey,
    certificatePem: certPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A fresh temporary folder (under the OS temp dir) for a trust store. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `prechat-guard-${prefix}-`));
}

/**
 * Writes `<kid>.crt` atomically (temp file + rename) so that a watching service never reads half a certificate.
 * The temp name has no .crt/.pem extension, so the trust store ignores it.
 */
export function writeCertificate(dir: string, key: SigningKey): string {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${key.kid}.crt`);
  const temp = path.join(dir, `.${key.kid}.${process.pid}.tmp`);
  writeFileSync(temp, key.certificatePem);
  renameSync(temp, target);
  return target;
}

export function removeCertificate(dir: string, kid: string): void {
  rmSync(path.join(dir, `${kid}.crt`), { force: true });
}

/** A random caller API key (the service requires 16+ characters). */
export function createCallerKey(): string {
  return `test-only-${randomBytes(24).toString('base64url')}`;
}
