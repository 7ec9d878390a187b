// The one builder of self-signed certificates (dev mode, tests, the golden vector): what it writes, checked with
// Node's own X.509 parser.
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCertificate } from '../../../server/src/keys/selfSigned';

describe('createSelfSignedCertificate', () => {
  it('writes a self-signed RSA signing certificate that verifies with its own key, valid for a year by default', () => {
    const before = Date.now();
    const { certPem, privateKeyPem } = createSelfSignedCertificate({ commonName: 'builder test-only' });
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=builder test-only');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const from = Date.parse(cert.validFrom);
    expect(from).toBeLessThanOrEqual(before);
    expect(from).toBeGreaterThan(before - 2 * 60_000);
    expect(Date.parse(cert.validTo) - from).toBe(365 * 86_400_000);
    expect(certPem).not.toContain('\r');
  });

  it('takes a subject organisation, a validity window, a key of its own and a serial, reproducibly', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const options = {
      commonName: 'PrechatGuard_Signing',
      organizationName: 'Acme test-only',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2026-12-31T00:00:00Z'),
      privateKey,
      serialNumber: '0a1b2c3d',
    };
    const first = createSelfSignedCertificate(options);
    const cert = new X509Certificate(first.certPem);
    expect(cert.subject).toBe('CN=PrechatGuard_Signing\nO=Acme test-only');
    expect(cert.serialNumber.toLowerCase()).toBe('0a1b2c3d');
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    // RSA PKCS#1 v1.5 signatures are deterministic: same key, same fields, same bytes.
    expect(createSelfSignedCertificate(options).certPem).toBe(first.certPem);
    expect(createSelfSignedCertificate({ ...options, serialNumber: '0a1b2c3e' }).certPem).not.toBe(first.certPem);
  });

  it('writes a certificate authority when asked, and only then', () => {
    const authority = new X509Certificate(
      createSelfSignedCertificate({ commonName: 'authority test-only', usage: 'authority' }).certPem,
    );
    expect(authority.ca).toBe(true);
    expect(authority.verify(authority.publicKey)).toBe(true);
  });

  it('refuses a key that is not RSA', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => createSelfSignedCertificate({ commonName: 'ec', privateKey })).toThrow('needs an RSA private key');
  });
});
