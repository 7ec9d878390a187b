// Reading X.509 certificates (node-forge), and one trusted key: a PEM certificate (the first of a chain file).
import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { sha256Base64url } from '../sha256';

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
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
export const MIN_RSA_BITS = 2048;
/** Certificates this close to expiry are flagged (/readyz, org:export-cert, org:doctor): time to roll out a new one. */
export const EXPIRY_WARNING_DAYS = 30;

/** An RSA X.509 certificate chain as read, before anyone judges its key size or dates. */
export interface CertificateChain {
  /** the chain as PEM with LF line ends, key certificate first: what a trust-store `<kid>.crt` holds */
  pem: string;
  publicKey: KeyObject;
  subject: string;
  issuer: string;
  /** hexadecimal, as the certificate carries it */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  modulusBits: number;
  /** base64 DER of every certificate in the chain, key certificate first (JWKS `x5c`). */
  x5c: string[];
  /** SHA-256 thumbprint of the key certificate, base64url (JWKS `x5t#S256`). */
  thumbprintSha256: string;
}

export interface ReadOptions {
  /**
   * Also read bare base64 of DER and raw DER, as the Metadata API may return a Certificate's content. A trust-store file
   * must be PEM.
   */
  acceptDer?: boolean;
}

/** DER bytes of each certificate in the content. */
function derBlocks(content: Buffer, acceptDer: boolean): Buffer[] {
  const text = content.toString('utf8');
  const blocks = text.match(PEM_BLOCK);
  if (blocks) {
    return blocks.map((block) =>
      Buffer.from(block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64'),
    );
  }
  if (!acceptDer) throw new CertificateError('no PEM certificate found');
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return [Buffer.from(compact, 'base64')];
  return [content];
}

function describeName(attributes: forge.pki.CertificateField[]): string {
  return attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
}

/**
 * The one certificate reader, for the service's trust store and the admin commands alike. It refuses content that
 * carries a private key (a trust store or an export holds public certificates only: fail rather than ignore it) and a
 * key that is not RSA; key size and dates are left to the caller, which knows whether they are an error or a warning.
 */
export function readCertificateChain(content: string | Buffer, options: ReadOptions = {}): CertificateChain {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (PRIVATE_KEY.test(bytes.toString('utf8'))) {
    throw new CertificateError('it contains a private key; only public certificates are read, private keys never');
  }
  const ders = derBlocks(bytes, options.acceptDer === true);
  let certs: forge.pki.Certificate[];
  try {
    certs = ders.map((der) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
  } catch (error) {
    throw new CertificateError(`not a readable RSA X.509 certificate (${(error as Error).message})`);
  }
  const first = certs[0];
  const forgeKey = first?.publicKey as forge.pki.rsa.PublicKey | undefined;
  if (!first || !forgeKey || typeof forgeKey.n?.bitLength !== 'function') {
    throw new CertificateError('the certificate does not carry an RSA public key');
  }
  return {
    pem: certs.map((cert) => forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n')).join(''),
    publicKey: new X509Certificate(ders[0]!).publicKey,
    subject: describeName(first.subject.attributes),
    issuer: describeName(first.issuer.attributes),
    serialNumber: first.serialNumber,
    notBefore: first.validity.notBefore,
    notAfter: first.validity.notAfter,
    modulusBits: forgeKey.n.bitLength(),
    x5c: ders.map((der) => der.toString('base64')),
    thumbprintSha256: sha256Base64url(ders[0]!),
  };
}

/** A trust-store file: PEM, first certificate the key's, an RSA key of at least MIN_RSA_BITS. */
export function parseCertificateFile(kid: string, pem: string): TrustedKey {
  const chain = readCertificateChain(pem);
  if (chain.modulusBits < MIN_RSA_BITS) {
    throw new CertificateError(`RSA key of ${chain.modulusBits} bits is too small (at least ${MIN_RSA_BITS})`);
  }
  const { publicKey, notBefore, notAfter, modulusBits, subject, x5c, thumbprintSha256 } = chain;
  return { kid, publicKey, notBefore, notAfter, modulusBits, subject, x5c, thumbprintSha256 };
}

export function isWithinValidity(key: TrustedKey, nowMs: number): boolean {
  return nowMs >= key.notBefore.getTime() && nowMs <= key.notAfter.getTime();
}
