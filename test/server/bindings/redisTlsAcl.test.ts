// One Redis serving only TLS, with a CA the test generates (never committed), the default user off and the service's
// ACL user exactly as docs/deployment.md defines it. The service binds, re-verifies, refuses a replay and counts its
// rate limit through rediss:// + REDIS_TLS_CA_FILE; a wrong password, a CA that did not sign the server, plain TCP to
// the TLS port and a user that may not write all leave it not ready and answering 503, never valid.
import { randomBytes } from 'node:crypto';
import {
  createTrust,
  startService,
  validToken,
  type TestService,
  type TrustFixture,
} from '../../hardening/support/service';
import {
  RedisServer,
  SERVICE_ACL,
  describeWithRedisServer,
  stopAllRedis,
  tempFolder,
} from '../../support/redisServers';
import { createTestCa, type IssuedFiles } from '../../support/testCa';
import { expectBoundTo } from '../../support/replay';

jest.setTimeout(30_000);

const USER = 'prechat-guard';
const PASSWORD = `test-only-${randomBytes(12).toString('hex')}`;

describeWithRedisServer('binding store on Redis over TLS, as an ACL user', () => {
  let trust: TrustFixture;
  let ca: IssuedFiles;
  let otherCa: IssuedFiles;
  let redis: RedisServer;
  const services: TestService[] = [];

  const start = async (env: Record<string, string>) => {
    const service = await startService(trust.dir, { env: { PRECHAT_GUARD_SESSION_TTL_S: '900', ...env } });
    services.push(service);
    return service;
  };
  const url = (user: string, password: string, scheme = 'rediss') =>
    `${scheme}://${user}:${password}@127.0.0.1:${redis.port}`;

  beforeAll(async () => {
    trust = createTrust();
    ca = createTestCa(tempFolder('ca'));
    otherCa = createTestCa(tempFolder('other-ca'), 'another test-only CA');
    redis = await RedisServer.start({
      tls: ca,
      auth: { user: 'admin', password: PASSWORD }, // the test's own redis-cli
      config: [
        ['user', 'default', 'off'],
        ['user', 'admin', 'on', `>${PASSWORD}`, '~*', '&*', '+@all'],
        ['user', USER, 'on', `>${PASSWORD}`, ...SERVICE_ACL],
        ['user', 'reader', 'on', `>${PASSWORD}`, '~prechat-guard:*', '-@all', '+get', '+info'],
      ],
    });
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await stopAllRedis();
    trust?.remove();
  });

  it('binds, re-verifies and refuses a replay through rediss:// with the test CA, as the documented ACL user', async () => {
    const service = await start({
      REDIS_URL: url(USER, PASSWORD),
      REDIS_TLS_CA_FILE: ca.caFile,
      PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '1000',
    });
    await service.ready();
    const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
    expect((await service.verify({ token, sessionKey: '0Mw-tls' })).json).toMatchObject({
      valid: true,
      binding: 'new',
    });
    await expectBoundTo(service, token, '0Mw-tls', '0Mw-other');
    // Both the binding and the rate-limit counter live in this Redis, under the prefix the ACL allows.
    expect(await redis.cli('--scan', '--pattern', 'prechat-guard:binding:*')).not.toBe('');
    expect(await redis.cli('--scan', '--pattern', 'prechat-guard:rate:*')).not.toBe('');
  });

  describe('fails closed', () => {
    const cases = {
      'a wrong password': () => ({ REDIS_URL: url(USER, 'wrong-password'), REDIS_TLS_CA_FILE: ca.caFile }),
      'a CA that did not sign the server': () => ({
        REDIS_URL: url(USER, PASSWORD),
        REDIS_TLS_CA_FILE: otherCa.caFile,
      }),
      'plain TCP to the TLS port': () => ({ REDIS_URL: url(USER, PASSWORD, 'redis') }),
      'a user that may not write': () => ({ REDIS_URL: url('reader', PASSWORD), REDIS_TLS_CA_FILE: ca.caFile }),
    };
    const refused = new Map<string, TestService>();
    // Each waits its bounded 2 s for a connection that never comes: start them side by side.
    beforeAll(async () => {
      const entries = Object.entries(cases);
      const started = await Promise.all(entries.map(([, env]) => start(env())));
      entries.forEach(([name], index) => refused.set(name, started[index]!));
    });

    it.each(Object.keys(cases))('with %s: not ready, and 503 (never valid)', async (name) => {
      const service = refused.get(name)!;
      const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ bindingStore: { kind: 'redis', reachable: false } });
      const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
      const answer = await service.verify({ token, sessionKey: '0Mw-refused' });
      expect(answer).toEqual({ status: 503, json: expect.objectContaining({ error: 'store_unavailable' }) });
    });
  });
});
