// Redis Sentinel: a primary, its replica and three Sentinels on loopback ports, started by the test; the service finds
// the primary through REDIS_SENTINELS and requires PRECHAT_GUARD_REDIS_MIN_REPLICAS=1. What that buys: an answer is
// valid only once the replica holds the binding (a stalled replica means 503 and not ready, never valid), so when the
// primary is killed and the replica promoted, every binding acknowledged before the failover is still enforced.
import {
  createTrust,
  startService,
  validToken,
  type TestService,
  type TrustFixture,
} from '../../hardening/support/service';
import {
  describeWithRedisServer,
  startSentinelGroup,
  stopAllRedis,
  until,
  type SentinelGroup,
} from '../../support/redisServers';
import { expectBoundTo } from '../../support/replay';

jest.setTimeout(40_000);

describeWithRedisServer('binding store through Redis Sentinel (primary + replica)', () => {
  let group: SentinelGroup;
  let trust: TrustFixture;
  let service: TestService;
  let env: Record<string, string>;
  const extra: TestService[] = [];

  const readyz = async (instance: TestService) =>
    (await instance.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
  const fresh = () => validToken(trust.key, Math.floor(Date.now() / 1000)).token;

  beforeAll(async () => {
    trust = createTrust();
    group = await startSentinelGroup('prechat-guard');
    env = {
      REDIS_SENTINELS: group.addresses,
      REDIS_SENTINEL_NAME: group.masterName,
      PRECHAT_GUARD_REDIS_MIN_REPLICAS: '1',
      PRECHAT_GUARD_SESSION_TTL_S: '900',
    };
    service = await startService(trust.dir, { env });
    await service.ready();
  });

  afterAll(async () => {
    await Promise.all([service, ...extra].map((instance) => instance?.close()));
    await stopAllRedis();
    trust?.remove();
  });

  it('answers valid only for bindings the replica holds: a stalled replica gives 503 and not ready', async () => {
    expect((await service.verify({ token: fresh(), sessionKey: '0Mw-before' })).json).toMatchObject({
      valid: true,
      binding: 'new',
    });

    group.replica.stall();
    try {
      expect(await readyz(service)).toBe(503);
      const token = fresh();
      for (let attempt = 0; attempt < 2; attempt++) {
        // written on the primary, not acknowledged by the replica: neither the first answer nor a retry is valid
        const answer = await service.verify({ token, sessionKey: '0Mw-stalled' });
        expect(answer).toEqual({ status: 503, json: expect.objectContaining({ error: 'store_unavailable' }) });
      }
      group.replica.resume();
      await until('ready again after the replica resumed', async () => (await readyz(service)) === 200);
      // The replica caught up, so the binding is now acknowledged and holds for its session only.
      await expectBoundTo(service, token, '0Mw-stalled', '0Mw-elsewhere');
    } finally {
      group.replica.resume();
    }
  });

  it('enforces every binding acknowledged before the primary was killed, after the failover', async () => {
    const bound = Array.from({ length: 20 }, (_, n) => ({ token: fresh(), sessionKey: `0Mw-failover-${n}` }));
    for (const body of bound) {
      expect((await service.verify(body)).json).toMatchObject({ valid: true, binding: 'new' });
    }

    await group.primary.stop('SIGKILL');
    await until(
      'every Sentinel to name the promoted replica',
      async () => (await group.currentPrimary()) === group.replica.address,
      20_000,
    );

    // The new primary has no replica yet: with MIN_REPLICAS=1 nothing can be acknowledged, so nothing is valid.
    expect(await readyz(service)).toBe(503);
    expect((await service.verify({ token: fresh(), sessionKey: '0Mw-no-replica' })).status).toBe(503);

    // An instance that does not wait for replicas reads the promoted replica: every binding is there.
    const reader = await startService(trust.dir, { env: { ...env, PRECHAT_GUARD_REDIS_MIN_REPLICAS: '0' } });
    extra.push(reader);
    await reader.ready(10_000);
    for (const { token, sessionKey } of bound) {
      expect((await reader.verify({ token, sessionKey: `${sessionKey}-thief` })).json).toMatchObject({
        valid: false,
        reason: 'replayed',
      });
    }

    // The old primary comes back (empty) as a replica of the new one; the strict instance recovers without restart.
    await group.primary.start([['replicaof', '127.0.0.1', String(group.replica.port)]]);
    await until('the strict instance to be ready again', async () => (await readyz(service)) === 200, 15_000);
    for (const { token, sessionKey } of bound) await expectBoundTo(service, token, sessionKey);
    expect((await service.verify({ token: fresh(), sessionKey: '0Mw-after' })).json).toMatchObject({
      valid: true,
      binding: 'new',
    });
  });
});
