// Self-signed RSA certificates for development and tests (node:crypto generates the key, node-forge writes the X.509).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface SelfSigned {
  certPem: string;
  privateKeyPem: string;
}

export interface SelfSignedOptions {
  commonName: string;
  notBefore?: Date;
  notAfter?: Date;
  modulusLength?: number;
}

export function createSelfSignedCertificate(options: SelfSignedOptions): SelfSigned {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e);
  // Positive serial: a leading 0x00..0x7f byte.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
  ]);
  cert.sign(forgePrivate, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), privateKeyPem };
}
