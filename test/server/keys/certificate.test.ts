// The one certificate reader: what the trust store and the admin commands both accept, and what they refuse.
import { X509Certificate, createPublicKey } from 'node:crypto';
import {
  CertificateError,
  MIN_RSA_BITS,
  parseCertificateFile,
  readCertificateChain,
} from '../../../server/src/keys/certificate';
import { createSelfSignedCertificate } from '../../../server/src/keys/selfSigned';

const NOT_BEFORE = new Date('2026-01-01T00:00:00.000Z');
const NOT_AFTER = new Date('2027-01-01T00:00:00.000Z');
const leaf = createSelfSignedCertificate({
  commonName: 'reader test-only',
  notBefore: NOT_BEFORE,
  notAfter: NOT_AFTER,
});
const second = createSelfSignedCertificate({ commonName: 'second test-only' });
const derOf = (pem: string) => Buffer.from(new X509Certificate(pem).raw);

describe('readCertificateChain', () => {
  it('reads a PEM chain: key certificate first, names, serial, dates, key, x5c and thumbprint', () => {
    const chain = readCertificateChain(leaf.certPem + second.certPem);
    const x509 = new X509Certificate(leaf.certPem);
    expect(chain.subject).toBe('CN=reader test-only');
    expect(chain.issuer).toBe('CN=reader test-only');
    expect(chain.serialNumber.toUpperCase()).toBe(x509.serialNumber.toUpperCase());
    expect(chain.notBefore.toISOString()).toBe(NOT_BEFORE.toISOString());
    expect(chain.notAfter.toISOString()).toBe(NOT_AFTER.toISOString());
    expect(chain.modulusBits).toBe(2048);
    expect(chain.publicKey.equals(createPublicKey(leaf.privateKeyPem))).toBe(true);
    expect(chain.x5c).toEqual([derOf(leaf.certPem).toString('base64'), derOf(second.certPem).toString('base64')]);
    expect(Buffer.from(chain.thumbprintSha256, 'base64url').toString('hex')).toBe(
      x509.fingerprint256.replace(/:/g, '').toLowerCase(),
    );
    expect(chain.pem).toBe((leaf.certPem + second.certPem).replace(/\r\n/g, '\n'));
  });

  it('reads bare base64 DER and raw DER only when asked to (a Metadata API export), never for a trust file', () => {
    const der = derOf(leaf.certPem);
    for (const content of [der, Buffer.from(der.toString('base64'))]) {
      expect(readCertificateChain(content, { acceptDer: true }).pem).toBe(leaf.certPem.replace(/\r\n/g, '\n'));
      expect(() => readCertificateChain(content)).toThrow('no PEM certificate found');
    }
  });

  it('refuses content carrying a private key, whatever its PEM label', () => {
    for (const label of ['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'OPENSSH PRIVATE KEY']) {
      const content = `${leaf.certPem}-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
      expect(() => readCertificateChain(content, { acceptDer: true })).toThrow(CertificateError);
      expect(() => readCertificateChain(content)).toThrow(/private key/);
    }
  });

  it('refuses what is not a certificate, with the stable code', () => {
    let caught: unknown;
    try {
      readCertificateChain(Buffer.from('not a certificate at all'), { acceptDer: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CertificateError);
    expect((caught as CertificateError).code).toBe('certificate_invalid');
    expect((caught as CertificateError).message).toMatch(/^not a readable RSA X.509 certificate/);
  });

  it('leaves the key size to the caller: the reader reads a small key, a trust file refuses it', () => {
    const small = createSelfSignedCertificate({ commonName: 'small test-only', modulusLength: 1024 });
    expect(readCertificateChain(small.certPem).modulusBits).toBe(1024);
    expect(() => parseCertificateFile('small', small.certPem)).toThrow(
      `RSA key of 1024 bits is too small (at least ${MIN_RSA_BITS})`,
    );
  });
});
