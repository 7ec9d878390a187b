import { X509Certificate, createPublicKey, sign, verify } from 'node:crypto';
import {
  EXPIRY_WARNING_DAYS,
  assessValidity,
  inspectCertificate,
  toJwk,
} from '../../../../server/src/cli/org/certificate';
import { OrgCommandError } from '../../../../server/src/cli/org/errors';
import { days, makeCertificate, rsaKeys } from './support/certs';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const live = makeCertificate({
  notBefore: new Date(NOW.getTime() - days(10)),
  notAfter: new Date(NOW.getTime() + days(355)),
});

function inspectPem(pem: string) {
  return inspectCertificate(Buffer.from(pem), 'PrechatGuard_Signing');
}

describe('inspectCertificate', () => {
  test('reads a PEM certificate: subject, key size, validity, JWK parts and x5c', () => {
    const inspected = inspectPem(live.pem);
    expect(inspected.subject).toBe('CN=PrechatGuard_Signing, O=Acme test-only');
    expect(inspected.modulusBits).toBe(2048);
    expect(inspected.notAfter.toISOString()).toBe(new Date(NOW.getTime() + days(355)).toISOString());
    const expectedJwk = rsaKeys().publicKey.export({ format: 'jwk' });
    expect(inspected.n).toBe(expectedJwk.n);
    expect(inspected.e).toBe('AQAB');
    // x5c is standard base64 of the DER certificate, readable by Node's own X.509 parser.
    expect(new X509Certificate(Buffer.from(inspected.x5c[0]!, 'base64')).subject).toContain('CN=PrechatGuard_Signing');
    expect(inspected.pem).toBe(live.pem);
  });

  test('reads bare base64 DER and raw DER the same way as PEM', () => {
    const der = Buffer.from(new X509Certificate(live.pem).raw);
    expect(inspectCertificate(Buffer.from(der.toString('base64')), 'x').n).toBe(inspectPem(live.pem).n);
    expect(inspectCertificate(der, 'x').pem).toBe(live.pem);
  });

  test('keeps a chain in order, key certificate first', () => {
    const other = makeCertificate({
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + days(30)),
      slot: 1,
      commonName: 'CA',
    });
    const inspected = inspectPem(live.pem + other.pem);
    expect(inspected.x5c).toHaveLength(2);
    expect(inspected.subject).toContain('PrechatGuard_Signing');
  });

  test('refuses content carrying a private key, and garbage, with certificate_unreadable', () => {
    const withKey = live.pem + live.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => inspectPem(withKey)).toThrow(expect.objectContaining({ code: 'certificate_unreadable' }));
    expect(() => inspectPem(withKey)).toThrow(/private key/);
    let caught: unknown;
    try {
      inspectCertificate(Buffer.from('not a certificate at all'), 'Broken');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrgCommandError);
    expect((caught as OrgCommandError).code).toBe('certificate_unreadable');
    expect((caught as OrgCommandError).message).toContain('Broken');
  });
});

describe('assessValidity', () => {
  const at = (fromDays: number, toDays: number, bits = 2048) =>
    inspectPem(
      makeCertificate({
        notBefore: new Date(NOW.getTime() + days(fromDays)),
        notAfter: new Date(NOW.getTime() + days(toDays)),
        bits,
      }).pem,
    );

  test('in date with more than 30 days left is ok', () => {
    expect(assessValidity(at(-1, EXPIRY_WARNING_DAYS + 1), NOW)).toMatchObject({ level: 'ok', daysLeft: 31 });
  });

  test('expiring within 30 days is a warning that says when', () => {
    const result = assessValidity(at(-300, 12), NOW);
    expect(result).toMatchObject({ level: 'warn', code: 'certificate_expiring', daysLeft: 12 });
    expect(result.message).toContain('12 day(s)');
  });

  test('expired is an error', () => {
    expect(assessValidity(at(-400, -1), NOW)).toMatchObject({ level: 'error', code: 'certificate_expired' });
  });

  test('not yet valid is an error', () => {
    expect(assessValidity(at(2, 300), NOW)).toMatchObject({ level: 'error', code: 'certificate_not_yet_valid' });
  });

  test('an RSA key under 2048 bits is an error even when in date', () => {
    expect(assessValidity(at(-1, 300, 1024), NOW)).toMatchObject({ level: 'error', code: 'certificate_key_too_small' });
  });
});

test('toJwk gives exactly the JWKS fields the service publishes, and its key verifies the org signature', () => {
  const inspected = inspectPem(live.pem);
  const jwk = toJwk(inspected, 'prechat-guard-1', 'RS256');
  expect(Object.keys(jwk)).toEqual(['kty', 'kid', 'alg', 'use', 'n', 'e', 'x5c']);
  expect(jwk).toMatchObject({ kty: 'RSA', kid: 'prechat-guard-1', alg: 'RS256', use: 'sig', e: 'AQAB' });
  const signature = sign('sha256', Buffer.from('hello'), live.privateKey);
  const fromJwk = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  const fromX5c = new X509Certificate(Buffer.from(jwk.x5c[0]!, 'base64')).publicKey;
  expect(verify('sha256', Buffer.from('hello'), fromJwk, signature)).toBe(true);
  expect(verify('sha256', Buffer.from('hello'), fromX5c, signature)).toBe(true);
  expect(verify('sha256', Buffer.from('hellO'), fromJwk, signature)).toBe(false);
});
