// One trusted key: a PEM X.509 certificate (the first of a chain file) parsed with node-forge.
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface TrustedKey {
  kid: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  modulusBits: number;
  subject: string;
  /** base64 DER of every certificate in the file, key certificate first (JWKS `x5c`). */
  x5c: string[];
  /** SHA-256 thumbprint of the key certificate, base64url (JWKS `x5t#S256`). */
  thumbprintSha256: string;
}

export class CertificateError extends Error {
  readonly code = 'certificate_invalid';
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
export const MIN_RSA_BITS = 2048;
/** Certificates this close to expiry are flagged (/readyz, org:export-cert, org:doctor): time to roll out a new one. */
export const EXPIRY_WARNING_DAYS = 30;

export function parseCertificateFile(kid: string, pem: string): TrustedKey {
  if (/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    // A private key has no business in the trust store; refuse rather than silently ignore it.
    throw new CertificateError('the file contains a private key; the trust store holds public certificates only');
  }
  const blocks = pem.match(PEM_BLOCK);
  if (!blocks || blocks.length === 0) throw new CertificateError('no PEM certificate found');
  let certs: forge.pki.Certificate[];
  try {
    certs = blocks.map((block) => forge.pki.certificateFromPem(block));
  } catch (error) {
    throw new CertificateError(`not a readable RSA X.509 certificate (${(error as Error).message})`);
  }
  const first = certs[0]!;
  const forgeKey = first.publicKey as forge.pki.rsa.PublicKey;
  if (!forgeKey || typeof forgeKey.n?.bitLength !== 'function') {
    throw new CertificateError('the certificate does not carry an RSA public key');
  }
  const modulusBits = forgeKey.n.bitLength();
  if (modulusBits < MIN_RSA_BITS) {
    throw new CertificateError(`RSA key of ${modulusBits} bits is too small (at least ${MIN_RSA_BITS})`);
  }
  const ders = certs.map((cert) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
  );
  const publicKey = new X509Certificate(ders[0]!).publicKey;
  return {
    kid,
    publicKey,
    notBefore: first.validity.notBefore,
    notAfter: first.validity.notAfter,
    modulusBits,
    subject: first.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', '),
    x5c: ders.map((der) => der.toString('base64')),
    thumbprintSha256: createHash('sha256').update(ders[0]!).digest('base64url'),
  };
}

export function isWithinValidity(key: TrustedKey, nowMs: number): boolean {
  return nowMs >= key.notBefore.getTime() && nowMs <= key.notAfter.getTime();
}
