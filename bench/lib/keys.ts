// Test and bench key material: RSA key pairs from node:crypto and self-signed X.509 certificates (node-forge), written
// into a trust folder as `<kid>.crt` exactly as an admin would export them from the org. Never used for real secrets.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

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
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const now = Date.now();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial: the leading byte is kept below 0x80.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = options.notBefore ?? new Date(now - 86_400_000);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: `prechat-guard test-only ${kid}` }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  cert.sign(forgeKey, forge.md.sha256.create());
  return {
    kid,
    privateKey,
    publicKey,
    certificatePem: forge.pki.certificateToPem(cert),
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
