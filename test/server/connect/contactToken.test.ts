// The contact JWT as Amazon Connect checks it, verified by an independent implementation (jose) with the security key.
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import {
  ContactTokenTooLargeError,
  MAX_CONTACT_TOKEN_BYTES,
  signContactToken,
} from '../../../server/src/connect/contactToken';

const KEY = 'test-only-connect-security-key-0123456789AB'; // 44 characters, like the keys Connect generates
const OTHER_KEY = 'test-only-connect-security-key-ZYXWVUTSRQPO';
const NOW_S = Date.UTC(2026, 10, 23, 12, 0, 0) / 1000;
const secret = (key: string) => new TextEncoder().encode(key);

function sign(overrides: Partial<Parameters<typeof signContactToken>[0]> = {}) {
  return signContactToken({
    widgetId: 'widget-1234',
    securityKey: KEY,
    nowSeconds: NOW_S,
    ttlSeconds: 500,
    attributes: { userId: '005000000000001AAA' },
    ...overrides,
  });
}

describe('signContactToken', () => {
  it('signs HS256 with the exact header, sub = widget id, iat, exp = iat + TTL and the attributes', async () => {
    const { token, expiresAt, bytes } = sign();
    const [headerB64] = token.split('.');
    expect(Buffer.from(headerB64!, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, secret(KEY), {
      algorithms: ['HS256'],
      subject: 'widget-1234',
      currentDate: new Date(NOW_S * 1000),
    });
    expect(payload).toEqual({
      sub: 'widget-1234',
      iat: NOW_S,
      exp: NOW_S + 500,
      attributes: { userId: '005000000000001AAA' },
    });
    expect(expiresAt).toBe(NOW_S + 500);
    expect(bytes).toBe(token.length);
  });

  it('truncates a fractional clock to whole seconds', async () => {
    const { token } = sign({ nowSeconds: NOW_S + 0.999 });
    const { payload } = await jwtVerify(token, secret(KEY), { currentDate: new Date(NOW_S * 1000) });
    expect(payload.iat).toBe(NOW_S);
  });

  it('is refused by a verifier holding another key', async () => {
    await expect(jwtVerify(sign().token, secret(OTHER_KEY))).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
  });

  it('expires after the TTL (Amazon Connect refuses it then)', async () => {
    const { token } = sign({ ttlSeconds: 600 });
    await expect(jwtVerify(token, secret(KEY), { currentDate: new Date((NOW_S + 599) * 1000) })).resolves.toBeTruthy();
    await expect(jwtVerify(token, secret(KEY), { currentDate: new Date((NOW_S + 600) * 1000) })).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
  });

  it.each([0, 601, 1.5, -1])('refuses a TTL of %s seconds (Connect allows 1 to 600)', (ttlSeconds) => {
    expect(() => sign({ ttlSeconds })).toThrow(RangeError);
  });

  it('accepts a token of exactly the size limit and refuses one byte more', () => {
    const base = sign({ attributes: { a: '' } }).bytes;
    // Three attribute characters become four base64url characters: find a padding that lands on the limit.
    let exact: number | null = null;
    for (let length = 0; length < 6000 && exact === null; length++) {
      if (sign({ attributes: { a: 'x'.repeat(length) } }).bytes === MAX_CONTACT_TOKEN_BYTES) exact = length;
    }
    expect(base).toBeLessThan(MAX_CONTACT_TOKEN_BYTES);
    expect(exact).not.toBeNull();
    expect(sign({ attributes: { a: 'x'.repeat(exact!) } }).bytes).toBe(MAX_CONTACT_TOKEN_BYTES);
    let error: unknown;
    try {
      sign({ attributes: { a: 'x'.repeat(exact! + 1) } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ContactTokenTooLargeError);
    expect(error).toMatchObject({ code: 'contact_token_too_large', bytes: expect.any(Number) });
    expect((error as ContactTokenTooLargeError).bytes).toBeGreaterThan(MAX_CONTACT_TOKEN_BYTES);
    expect((error as Error).message).toContain('PRECHAT_GUARD_CONNECT_ATTRIBUTES');
  });

  it('counts bytes, not characters: multi-byte attribute values', () => {
    const { token, bytes } = sign({ attributes: { name: 'Zoë Ångström' } });
    expect(bytes).toBe(Buffer.byteLength(token));
  });
});
