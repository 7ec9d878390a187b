// POST /v1/exchange/amazon-connect in-process: contact JWT checked with jose and the security key, every failure
// reason, consumption (replay), CORS for allowed and refused origins, per-address rate limit, rotation, start-up checks.
import { errors, jwtVerify } from 'jose';
import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { StoreUnavailableError, type BindingStore } from '../../../server/src/bindings/store';
import { ConfigError } from '../../../server/src/config';
import { CONNECT_EXCHANGE_PATH, DEFAULT_EXCHANGE_LIMIT_PER_MIN } from '../../../server/src/routes/connectExchange';
import {
  NOW_MS,
  NOW_S,
  OTHER_USER_18,
  USER_15,
  USER_18,
  claims,
  mint,
  productionEnv,
  removeDir,
  signRaw,
  testApp,
  trustDirWith,
  verify,
  type TestApp,
} from '../../support/fixtures';
import { reasonCases, reasonKeys } from '../../support/reasonCases';

const WIDGET_ID = 'test-only-widget-0001';
const SIGNING_KEY = 'test-only-connect-key-new-0123456789abcdefgh'; // 44 characters, like Connect's keys
const OLD_KEY = 'test-only-connect-key-old-0123456789abcdefgh';
const SITE = 'https://shop.example.com';
const OTHER_SITE = 'https://evil.example.net';
const secret = (key: string) => new TextEncoder().encode(key);

const { key, expiredKey } = reasonKeys;
let trustDir: string;
let service: TestApp | null = null;

function connectEnv(extra: Record<string, string> = {}): Record<string, string> {
  return productionEnv(trustDir, {
    PRECHAT_GUARD_CONNECT_WIDGET_ID: WIDGET_ID,
    PRECHAT_GUARD_CONNECT_SECURITY_KEYS: `${SIGNING_KEY},${OLD_KEY}`,
    PRECHAT_GUARD_CONNECT_ORIGINS: `${SITE},https://help.example.com`,
    ...extra,
  });
}

async function start(extra: Record<string, string> = {}, options: { bindings?: BindingStore } = {}) {
  service = await testApp(connectEnv(extra), options);
  return service;
}

async function exchange(
  body: unknown,
  options: { origin?: string; remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  const response = await service!.app.inject({
    method: 'POST',
    url: CONNECT_EXCHANGE_PATH,
    remoteAddress: options.remoteAddress,
    headers: {
      'content-type': 'application/json',
      ...(options.origin ? { origin: options.origin } : {}),
      ...options.headers,
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
}

async function contactClaims(chatToken: unknown, signingKey = SIGNING_KEY) {
  const { payload, protectedHeader } = await jwtVerify(chatToken as string, secret(signingKey), {
    algorithms: ['HS256'],
    currentDate: new Date(NOW_MS),
  });
  return { payload, protectedHeader };
}

beforeAll(() => {
  trustDir = trustDirWith([key, expiredKey]);
});
afterAll(() => removeDir(trustDir));
afterEach(async () => {
  await service?.close();
  service = null;
});

describe('a valid identity token', () => {
  it('is exchanged for a contact JWT that the security key verifies, without a caller key', async () => {
    await start({ PRECHAT_GUARD_CONNECT_TTL_S: '500' });
    const { status, body, headers } = await exchange({ token: mint(key) });
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toEqual({
      valid: true,
      chatToken: expect.any(String),
      expiresAt: new Date((NOW_S + 500) * 1000).toISOString(),
    });
    const [headerB64] = (body.chatToken as string).split('.');
    expect(Buffer.from(headerB64!, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    const { payload } = await contactClaims(body.chatToken);
    expect(payload).toEqual({ sub: WIDGET_ID, iat: NOW_S, exp: NOW_S + 500, attributes: { userId: USER_18 } });
    expect((body.chatToken as string).length).toBeLessThanOrEqual(6144);
  });

  it('uses the default TTL of 500 seconds and maps claims to string attributes as configured', async () => {
    await start({
      PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,contactId=contact_id,accountId=account_id,locale=locale,iat=iat',
    });
    const token = mint(key, { userId: USER_15, contactId: '003000000000001AAA', locale: 'fr_FR' });
    const { body } = await exchange({ token, userId: USER_18 });
    const { payload } = await contactClaims(body.chatToken);
    expect(payload.exp).toBe(NOW_S + 500);
    // account_id is not in the token: left out; iat (a number) is sent as a string.
    expect(payload.attributes).toEqual({
      userId: USER_18,
      contactId: '003000000000001AAA',
      locale: 'fr_FR',
      iat: String(NOW_S),
    });
    for (const value of Object.values(payload.attributes as object)) expect(typeof value).toBe('string');
  });

  it('is signed with the first security key only: rotation puts the new key first', async () => {
    await start();
    const { body } = await exchange({ token: mint(key) });
    await expect(contactClaims(body.chatToken, SIGNING_KEY)).resolves.toBeTruthy();
    await expect(contactClaims(body.chatToken, OLD_KEY)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    await service!.close();

    await start({ PRECHAT_GUARD_CONNECT_SECURITY_KEYS: `${OLD_KEY},${SIGNING_KEY}` });
    const swapped = await exchange({ token: mint(key) });
    await expect(contactClaims(swapped.body.chatToken, OLD_KEY)).resolves.toBeTruthy();
    await expect(contactClaims(swapped.body.chatToken, SIGNING_KEY)).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
  });
});

describe('consumption', () => {
  it('answers replayed to a second exchange of the same token', async () => {
    await start();
    const token = mint(key);
    expect((await exchange({ token })).body).toMatchObject({ valid: true });
    const again = await exchange({ token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ valid: false, reason: 'replayed', detail: expect.any(String) });
  });

  it('lets two exchanges racing on one token issue once', async () => {
    await start();
    const token = mint(key);
    const answers = await Promise.all([exchange({ token }), exchange({ token }), exchange({ token })]);
    expect(answers.filter((answer) => answer.body.valid === true)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.reason === 'replayed')).toHaveLength(2);
  });

  it('consumes the token for /v1/verify too, with or without a session key, even long after', async () => {
    await start();
    const token = mint(key);
    await exchange({ token });
    expect((await verify(service!.app, { token, sessionKey: '0Mw000000000001AAA' })).body).toMatchObject({
      reason: 'replayed',
    });
    expect((await verify(service!.app, { token })).body).toMatchObject({ reason: 'replayed' });
    service!.clock.now += 3 * 3600 * 1000; // past exp and the maximum age, inside the binding lifetime
    expect((await exchange({ token })).body).toMatchObject({ reason: 'replayed' });
  });

  it('refuses a token a chat session already bound', async () => {
    await start();
    const token = mint(key);
    expect((await verify(service!.app, { token, sessionKey: '0Mw000000000001AAA' })).body).toMatchObject({
      binding: 'new',
    });
    expect((await exchange({ token })).body).toMatchObject({ valid: false, reason: 'replayed' });
  });

  it('does not consume a token that fails a check', async () => {
    await start();
    const token = mint(key);
    expect((await exchange({ token, userId: OTHER_USER_18 })).body).toMatchObject({ reason: 'user_mismatch' });
    expect((await exchange({ token, userId: USER_18 })).body).toMatchObject({ valid: true });
  });
});

describe('every failure reason', () => {
  const cases = reasonCases();
  it.each(cases)('answers %s with status 200 and no contact token', async (reason, makeToken, extra = {}) => {
    await start();
    const { status, body } = await exchange({ token: makeToken(), ...extra });
    expect(status).toBe(200);
    expect(body).toEqual({ valid: false, reason, detail: expect.any(String) });
  });

  it('refuses legacy (v1) tokens even when /v1/verify accepts them', async () => {
    await start({ PRECHAT_GUARD_LEGACY: 'accept' });
    const { body } = await exchange({ token: Buffer.alloc(256, 7).toString('base64'), userId: USER_18 });
    expect(body).toEqual({ valid: false, reason: 'legacy_disabled', detail: expect.stringContaining('exchanged') });
  });
});

describe('HTTP errors', () => {
  it.each([
    ['body not JSON', 400, 'invalid_json', '{"token":'],
    ['no token', 400, 'missing_field', {}],
    ['token not a string', 400, 'invalid_field', { token: 7 }],
    ['empty userId', 400, 'invalid_field', { token: 'a.b.c', userId: '' }],
    ['a session key', 400, 'invalid_field', { token: 'a.b.c', sessionKey: 'chat-1' }],
    ['token over 8192 characters', 413, 'token_too_large', { token: 'a'.repeat(8193) }],
    ['body over 16 KiB', 413, 'payload_too_large', { token: 'a'.repeat(17_000) }],
  ])('%s → %i %s', async (_name, status, code, body) => {
    await start();
    const answer = await exchange(body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: code, detail: expect.any(String) });
  });

  it.each([
    ['text/plain (what a cross-site form or fetch sends without a preflight)', 'text/plain'],
    ['text/plain with a charset', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['a JSON look-alike', 'application/jsonp'],
    ['no content type', undefined],
  ])('refuses %s with 415 and leaves the token unused', async (_name, contentType) => {
    await start();
    const token = mint(key);
    const response = await service!.app.inject({
      method: 'POST',
      url: CONNECT_EXCHANGE_PATH,
      headers: { origin: OTHER_SITE, ...(contentType ? { 'content-type': contentType } : {}) },
      payload: JSON.stringify({ token }),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({
      error: 'unsupported_media_type',
      detail: expect.stringContaining('application/json'),
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect((await exchange({ token }, { origin: SITE })).body).toMatchObject({ valid: true });
  });

  it('accepts application/json with parameters and in any letter case', async () => {
    await start();
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON']) {
      const { body } = await exchange({ token: mint(key) }, { headers: { 'content-type': contentType } });
      expect(body).toMatchObject({ valid: true });
    }
  });

  it('answers 503 and issues nothing while the binding store is unreachable (fail closed)', async () => {
    class BrokenStore extends MemoryBindingStore {
      override async get(): Promise<never> {
        throw new StoreUnavailableError('down');
      }
      override async bindIfAbsent(): Promise<never> {
        throw new StoreUnavailableError('down');
      }
    }
    await start({}, { bindings: new BrokenStore(10) });
    const { status, body, headers } = await exchange({ token: mint(key) });
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('1');
    expect(body).toEqual({ error: 'store_unavailable', detail: expect.any(String) });
  });

  it('answers 422 contact_token_too_large before consuming the token', async () => {
    await start({ PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,profile=profile' });
    const token = signRaw(
      key,
      { alg: 'RS256', typ: 'JWT', kid: 'org-key-1' },
      claims({ jti: 'big-1', profile: 'p'.repeat(5000) }),
    );
    const { status, body } = await exchange({ token });
    expect(status).toBe(422);
    expect(body).toEqual({ error: 'contact_token_too_large', detail: expect.any(String) });
    expect(body.detail).not.toContain('PRECHAT_GUARD'); // the browser is not told about configuration
    expect((await verify(service!.app, { token, sessionKey: 'chat-1' })).body).toMatchObject({ binding: 'new' });
  });

  it('is absent (404) when the widget id and keys are not configured', async () => {
    service = await testApp(productionEnv(trustDir));
    const response = await service.app.inject({ method: 'POST', url: CONNECT_EXCHANGE_PATH, payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('CORS', () => {
  it('reflects an allowed origin on the answer and on errors', async () => {
    await start();
    const ok = await exchange({ token: mint(key) }, { origin: SITE });
    expect(ok.headers['access-control-allow-origin']).toBe(SITE);
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    expect(ok.headers.vary).toContain('Origin');
    const bad = await exchange({}, { origin: 'https://help.example.com' });
    expect(bad.status).toBe(400);
    expect(bad.headers['access-control-allow-origin']).toBe('https://help.example.com');
  });

  it('answers the preflight of an allowed origin for POST and content-type only', async () => {
    await start();
    const response = await service!.app.inject({
      method: 'OPTIONS',
      url: CONNECT_EXCHANGE_PATH,
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SITE);
    expect(response.headers['access-control-allow-methods']).toBe('POST');
    expect(response.headers['access-control-allow-headers']).toBe('content-type');
    expect(response.headers['access-control-max-age']).toBe('600');
  });

  it.each([OTHER_SITE, 'https://shop.example.com.evil.net', 'http://shop.example.com', 'null'])(
    'gives a refused origin (%s) no CORS headers, and its preflight a 404',
    async (origin) => {
      await start();
      const answer = await exchange({ token: mint(key) }, { origin });
      // The server still answers (CORS is enforced by the browser), but the browser may not read it.
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      const preflight = await service!.app.inject({
        method: 'OPTIONS',
        url: CONNECT_EXCHANGE_PATH,
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode).toBe(404);
      expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    },
  );

  it('adds no CORS to the other endpoints', async () => {
    await start();
    const preflight = await service!.app.inject({
      method: 'OPTIONS',
      url: '/v1/verify',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
    const answer = await verify(service!.app, { token: mint(key) });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no origin at all when none is configured', async () => {
    await start({ PRECHAT_GUARD_CONNECT_ORIGINS: '' });
    const answer = await exchange({ token: mint(key) }, { origin: SITE });
    expect(answer.body).toMatchObject({ valid: true });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limit per client address', () => {
  it(`allows ${DEFAULT_EXCHANGE_LIMIT_PER_MIN} requests a minute per address by default, then 429`, async () => {
    await start();
    for (let i = 0; i < DEFAULT_EXCHANGE_LIMIT_PER_MIN; i++) {
      expect((await exchange({ token: 'x' }, { remoteAddress: '203.0.113.9' })).status).toBe(200);
    }
    const limited = await exchange({ token: 'x' }, { remoteAddress: '203.0.113.9', origin: SITE });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'rate_limited', detail: expect.any(String) });
    expect(limited.headers['retry-after']).toBeDefined();
    // The browser can read the 429 (CORS runs first).
    expect(limited.headers['access-control-allow-origin']).toBe(SITE);
    expect((await exchange({ token: 'x' }, { remoteAddress: '203.0.113.10' })).status).toBe(200);
  });

  it('counts the default limit in the shared Redis when one is configured: two instances allow it once', async () => {
    // Two instances behind one load balancer, with no PRECHAT_GUARD_RATE_LIMIT_PER_MIN: the exchange's own limiter.
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`; // a fresh bucket in the shared Redis
    const first = await testApp(connectEnv({ REDIS_URL: redisUrl }));
    const second = await testApp(connectEnv({ REDIS_URL: redisUrl }));
    try {
      const send = (instance: TestApp) =>
        instance.app.inject({
          method: 'POST',
          url: CONNECT_EXCHANGE_PATH,
          remoteAddress: address,
          headers: { 'content-type': 'application/json' },
          payload: { token: 'x' },
        });
      const statuses: number[] = [];
      for (let i = 0; i <= DEFAULT_EXCHANGE_LIMIT_PER_MIN; i++)
        statuses.push((await send(i % 2 ? second : first)).statusCode);
      expect(statuses.slice(0, DEFAULT_EXCHANGE_LIMIT_PER_MIN).every((status) => status === 200)).toBe(true);
      expect(statuses[DEFAULT_EXCHANGE_LIMIT_PER_MIN]).toBe(429);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('uses PRECHAT_GUARD_RATE_LIMIT_PER_MIN when set, per address and not per Authorization header', async () => {
    await start({ PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '2' });
    const from = (n: number) => ({ remoteAddress: '2001:db8:1:2::' + n, headers: { authorization: `Bearer k-${n}` } });
    expect((await exchange({ token: 'x' }, from(1))).status).toBe(200);
    expect((await exchange({ token: 'x' }, from(2))).status).toBe(200);
    // Same /64, another credential: still the same bucket.
    expect((await exchange({ token: 'x' }, from(3))).status).toBe(429);
    expect((await exchange({ token: 'x' }, { remoteAddress: '2001:db8:1:3::1' })).status).toBe(200);
    // /v1/verify keeps its own per-credential limit, untouched by the exchange's.
    expect((await verify(service!.app, { token: mint(key) })).status).toBe(200);
  });
});

describe('start-up checks', () => {
  it('refuses an attribute mapped twice, naming the variable', async () => {
    await expect(start({ PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,userId=contact_id' })).rejects.toThrow(
      ConfigError,
    );
    await expect(start({ PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,userId=contact_id' })).rejects.toThrow(
      /^PRECHAT_GUARD_CONNECT_ATTRIBUTES:/,
    );
  });

  it('refuses a session lifetime shorter than the time a token stays acceptable', async () => {
    await expect(start({ PRECHAT_GUARD_SESSION_TTL_S: '600' })).rejects.toThrow(/^PRECHAT_GUARD_SESSION_TTL_S: .*660/);
    await expect(start({ PRECHAT_GUARD_SESSION_TTL_S: '660' })).resolves.toBeTruthy();
  });

  it.each([
    ['PRECHAT_GUARD_CONNECT_TTL_S', '601'],
    ['PRECHAT_GUARD_CONNECT_SECURITY_KEYS', 'short-key'],
    ['PRECHAT_GUARD_CONNECT_ORIGINS', '*'],
    ['PRECHAT_GUARD_CONNECT_ORIGINS', 'https://shop.example.com/path'],
  ])('refuses %s=%s', async (variable, value) => {
    await expect(start({ [variable]: value })).rejects.toThrow(new RegExp(`^${variable}:`));
  });
});
