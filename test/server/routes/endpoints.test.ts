// JWKS, health, readiness, metrics, dev mint and rate limiting, in-process.
import {
  CALLER_KEY,
  NOW_MS,
  mint,
  productionEnv,
  removeDir,
  tempDir,
  testApp,
  testKey,
  trustDirWith,
  verify,
  type TestApp,
} from '../../support/fixtures';

const current = testKey('current');
const soon = testKey('soon', { notAfter: new Date(NOW_MS + 10 * 86_400_000) });
const expired = testKey('expired', {
  notBefore: new Date(NOW_MS - 400 * 86_400_000),
  notAfter: new Date(NOW_MS - 86_400_000),
});
let trustDir: string;
beforeAll(() => {
  trustDir = trustDirWith([current, soon, expired]);
});
afterAll(() => removeDir(trustDir));

describe('GET /.well-known/jwks.json', () => {
  it('publishes only keys inside their validity period', async () => {
    const { app, close } = await testApp(productionEnv(trustDir));
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    await close();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/jwk-set+json');
    const kids = (response.json() as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid).sort();
    expect(kids).toEqual(['current', 'soon']);
  });
});

describe('health and readiness', () => {
  it('healthz is alive; readyz lists certificates expiring within 30 days', async () => {
    const { app, close } = await testApp(productionEnv(trustDir));
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    await close();
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      keys: {
        loaded: 3,
        valid: 2,
        expiringSoon: expect.arrayContaining([
          expect.objectContaining({ kid: 'soon', expired: false }),
          expect.objectContaining({ kid: 'expired', expired: true }),
        ]),
      },
      bindingStore: { kind: 'memory', reachable: true },
    });
  });

  it('readyz is 503 while no valid key is loaded', async () => {
    const empty = tempDir();
    const { app, close } = await testApp(productionEnv(empty));
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    await close();
    removeDir(empty);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', detail: expect.stringContaining('certificate') });
  });
});

describe('GET /metrics', () => {
  it('counts outcomes by reason and reports key expiry in days', async () => {
    const { app, close } = await testApp(productionEnv(trustDir));
    await verify(app, { token: mint(current) });
    await verify(app, { token: 'garbage' });
    await verify(app, { token: mint(current) }, 'wrong-key-0123456789');
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    await close();
    expect(text).toContain('prechat_guard_verifications_total{outcome="valid",reason="ok"} 1');
    expect(text).toContain('prechat_guard_verifications_total{outcome="invalid",reason="malformed"} 1');
    expect(text).toContain('prechat_guard_http_errors_total{code="unauthenticated"} 1');
    expect(text).toContain('prechat_guard_key_expiry_days{kid="soon"} 10');
    expect(text).toContain('prechat_guard_key_expiry_days{kid="expired"} -1');
    expect(text).toMatch(/prechat_guard_verify_duration_seconds_bucket/);
  });
});

describe('POST /v1/dev/mint', () => {
  it('exists only in dev mode and mints a token the service verifies', async () => {
    const devDir = tempDir();
    const { app, close } = await testApp({ PRECHAT_GUARD_DEV_DIR: devDir });
    const callerKey = app.prechatGuard.dev!.callerKey;
    const minted = await app.inject({
      method: 'POST',
      url: '/v1/dev/mint',
      headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      payload: { userId: '005000000000003', contactId: '003000000000003AAA' },
    });
    expect(minted.statusCode).toBe(200);
    const { token, userId } = minted.json() as { token: string; userId: string };
    expect(userId).toBe('005000000000003AAA');
    expect((await verify(app, { token, userId: '005000000000003' }, callerKey)).body).toMatchObject({
      valid: true,
      claims: expect.objectContaining({ contact_id: '003000000000003AAA', iss: 'prechat-guard-dev' }),
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/dev/mint',
      headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      payload: { userId: '001000000000001' },
    });
    expect(bad.statusCode).toBe(400);
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/v1/dev/mint',
      payload: { userId: '005000000000003' },
    });
    expect(unauthenticated.statusCode).toBe(401);
    await close();
    removeDir(devDir);
  });

  it('is absent in production mode', async () => {
    const { app, close } = await testApp(productionEnv(trustDir));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/dev/mint',
      headers: { authorization: `Bearer ${CALLER_KEY}`, 'content-type': 'application/json' },
      payload: { userId: '005000000000003' },
    });
    await close();
    expect(response.statusCode).toBe(404);
  });

  it('reuses the generated dev material on the next start', async () => {
    const devDir = tempDir();
    const first = await testApp({ PRECHAT_GUARD_DEV_DIR: devDir });
    const firstKey = first.app.prechatGuard.dev!.callerKey;
    const firstSigningKey = first.app.prechatGuard.dev!.privateKey;
    await first.close();
    const second = await testApp({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(second.app.prechatGuard.dev).toMatchObject({ callerKey: firstKey });
    expect(second.app.prechatGuard.dev!.privateKey.equals(firstSigningKey)).toBe(true);
    await second.close();
    removeDir(devDir);
  });
});

describe('rate limiting (only when configured)', () => {
  it('429 past the per-minute limit of one caller credential, and per address without one', async () => {
    const { app, close } = await testApp(productionEnv(trustDir, { PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '3' }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await verify(app, { token: mint(current) })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await verify(app, { token: mint(current) });
    expect(limited.body).toEqual({ error: 'rate_limited', detail: expect.any(String) });
    const anonymous: number[] = [];
    for (let i = 0; i < 4; i++) anonymous.push((await verify(app, { token: 'x' }, null)).status);
    expect(anonymous).toEqual([401, 401, 401, 429]);
    await close();
  });

  /** One /v1/verify request from a given client address with a given Bearer value; returns the status. */
  async function verifyFrom(app: TestApp['app'], remoteAddress: string, credential: string): Promise<number> {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/verify',
      remoteAddress,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ token: mint(current) }),
    });
    return response.statusCode;
  }

  it('counts made-up keys against the sending address: 429 after the limit, while a real caller is still served', async () => {
    const { app, close } = await testApp(productionEnv(trustDir, { PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '3' }));
    const guesses: number[] = [];
    for (let i = 0; i < 6; i++) guesses.push(await verifyFrom(app, '198.51.100.7', `made-up-key-${i}-0123456789ab`));
    expect(guesses).toEqual([401, 401, 401, 429, 429, 429]);
    // The guessing address gets no more answers about any key this minute, the right one included: a guess that
    // happens to be right must look the same as a wrong one, or the limit would not slow guessing down.
    expect(await verifyFrom(app, '198.51.100.7', CALLER_KEY)).toBe(429);
    // The real caller elsewhere has its own, untouched allowance.
    expect(await verifyFrom(app, '203.0.113.9', CALLER_KEY)).toBe(200);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('prechat_guard_http_errors_total{code="unauthenticated"} 3');
    expect(text).toContain('prechat_guard_http_errors_total{code="rate_limited"} 4');
    await close();
  });

  it('keeps proven callers in their own buckets: a flood of made-up keys from many addresses cannot reset one', async () => {
    const { app, close } = await testApp(productionEnv(trustDir, { PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '3' }));
    const real: number[] = [];
    for (let i = 0; i < 4; i++) real.push(await verifyFrom(app, '203.0.113.9', CALLER_KEY));
    expect(real).toEqual([200, 200, 200, 429]);
    // More distinct made-up keys and addresses than the limiter's in-memory cache holds (5000 entries per store).
    for (let i = 0; i < 5200; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      expect(await verifyFrom(app, address, `made-up-key-${i}-0123456789ab`)).toBe(401);
    }
    // Still limited: the flood did not push the real caller's counter out of the cache.
    expect(await verifyFrom(app, '203.0.113.9', CALLER_KEY)).toBe(429);
    await close();
  }, 60_000);

  it('does not limit when not configured', async () => {
    const { app, close } = await testApp(productionEnv(trustDir));
    for (let i = 0; i < 20; i++) expect((await verify(app, { token: 'x' })).status).toBe(200);
    await close();
  });
});
