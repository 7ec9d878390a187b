// Self-signed RSA certificates for development and tests: node:crypto generates (or is given) the key and signs,
// node-forge writes the X.509 structure. Only self-signed ones: the service never issues certificates for others.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface SelfSigned {
  certPem: string;
  privateKeyPem: string;
}

export interface SelfSignedOptions {
  commonName: string;
  /** an O= after the CN= in subject (and issuer) */
  organizationName?: string;
  /** default: a minute ago, so a verifier whose clock is slightly behind still accepts it */
  notBefore?: Date;
  /** default: a year after notBefore */
  notAfter?: Date;
  /** size of a generated key; ignored with `privateKey` */
  modulusLength?: number;
  /** sign this RSA key's certificate instead of generating a key (tests that need several certificates of one key) */
  privateKey?: KeyObject;
  /** hexadecimal; default random. A fixed one makes the certificate byte for byte reproducible for a given key. */
  serialNumber?: string;
  /**
   * `signing` (default): an end-entity certificate for signatures. `authority`: a certificate authority that may sign
   * other certificates (basicConstraints cA, keyCertSign and cRLSign, critical; a subject key identifier).
   */
  usage?: 'signing' | 'authority';
}

const EXTENSIONS = {
  signing: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
  ],
  authority: [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ],
} as const;

// getTBSCertificate exists in node-forge but is missing from @types/node-forge.
const { getTBSCertificate } = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };

export function createSelfSignedCertificate(options: SelfSignedOptions): SelfSigned {
  const privateKey =
    options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 }).privateKey;
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('a self-signed certificate needs an RSA private key');
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const cert = forge.pki.createCertificate();
  const spki = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  cert.publicKey = forge.pki.publicKeyFromPem(spki);
  // Positive serial: a leading 0x00..0x7f byte.
  cert.serialNumber = options.serialNumber ?? '01' + randomBytes(15).toString('hex');
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86_400_000);
  const attrs = [{ shortName: 'CN', value: options.commonName }];
  if (options.organizationName !== undefined) attrs.push({ shortName: 'O', value: options.organizationName });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions(EXTENSIONS[options.usage ?? 'signing'].map((extension) => ({ ...extension })));
  // Signed by node:crypto over the TBSCertificate: node-forge's pure-JavaScript RSA takes up to seconds per signature.
  cert.siginfo.algorithmOid = forge.pki.oids['sha256WithRSAEncryption']!;
  cert.signatureOid = forge.pki.oids['sha256WithRSAEncryption']!;
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privateKey).toString('binary');
  return { certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), privateKeyPem };
}
