// A Redis Cluster of three primaries with a replica each, made by the test with `redis-cli --cluster create` on
// loopback ports, and two service instances configured through REDIS_CLUSTER_NODES. Bindings land on every primary
// (one key, one slot each); a replay race across both instances has exactly one winner per token; the rate limit
// counts a caller once for both instances; with PRECHAT_GUARD_REDIS_MIN_REPLICAS a binding is valid only once its
// shard's replica holds it (a stalled replica: 503 for that shard and not ready), and a minimum the cluster cannot
// give at all fails closed: 503, never valid, and not ready.
import {
  createTrust,
  startService,
  validToken,
  type TestService,
  type TrustFixture,
} from '../../hardening/support/service';
import { createCallerKey } from '../../../bench/lib/keys';
import { clusterSlot } from '../../../server/src/bindings/redisClient';
import {
  describeWithRedisServer,
  startRedisCluster,
  stopAllRedis,
  type RedisCluster,
} from '../../support/redisServers';
import { expectOneWinner, raceOneToken } from '../../support/replay';

jest.setTimeout(30_000);

const TRIALS = 60;
const REQUESTS_PER_TRIAL = 12;

describeWithRedisServer('binding store on a Redis Cluster (3 primaries, 1 replica each)', () => {
  let cluster: RedisCluster;
  let trust: TrustFixture;
  let instances: TestService[] = [];
  const extra: TestService[] = [];

  beforeAll(async () => {
    trust = createTrust();
    cluster = await startRedisCluster(3, 1);
    const env = { REDIS_CLUSTER_NODES: cluster.nodes, PRECHAT_GUARD_SESSION_TTL_S: '900' };
    instances = [
      await startService(trust.dir, { env }),
      // This one is given a single seed and learns the other primaries from it.
      await startService(trust.dir, { env: { ...env, REDIS_CLUSTER_NODES: cluster.primaries[1]!.address } }),
    ];
    await Promise.all(instances.map((instance) => instance.ready()));
  });

  afterAll(async () => {
    await Promise.all([...instances, ...extra].map((instance) => instance.close()));
    await stopAllRedis();
    trust?.remove();
  });

  it('is ready on both instances and reports the Redis store', async () => {
    for (const instance of instances) {
      const response = await instance.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ bindingStore: { kind: 'redis', reachable: true } });
    }
  });

  it('computes the slot of a key as the cluster does (the readiness probe reaches every primary by it)', async () => {
    for (const key of ['prechat-guard:binding:abc', 'foo{}bar', 'a{b}c', '{}', 'prechat-guard:ready:x:{17}']) {
      expect(clusterSlot(key)).toBe(Number(await cluster.primaries[0]!.cli('CLUSTER', 'KEYSLOT', key)));
    }
  });

  it(`one token, two session keys, two instances: exactly one winner in each of ${TRIALS} trials`, async () => {
    const winsByKey = { A: 0, B: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
      const answers = await raceOneToken(
        instances,
        token,
        (which) => `0Mw-cluster-${trial}-${which}`,
        REQUESTS_PER_TRIAL,
        trial,
      );
      winsByKey[expectOneWinner(answers)] += 1;
    }
    expect(winsByKey.A).toBeGreaterThan(0);
    expect(winsByKey.B).toBeGreaterThan(0);
    // One key per binding, spread by its slot: every primary holds some of the 60.
    for (const primary of cluster.primaries) {
      const keys = await primary.cli('--scan', '--pattern', 'prechat-guard:binding:*');
      expect(keys.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    }
  });

  it('counts one caller once across both instances (the rate limit lives in the cluster)', async () => {
    const callerKey = createCallerKey();
    const env = { REDIS_CLUSTER_NODES: cluster.nodes, PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '5' };
    const pair = [await startService(trust.dir, { env, callerKey }), await startService(trust.dir, { env, callerKey })];
    extra.push(...pair);
    await Promise.all(pair.map((instance) => instance.ready()));
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) statuses.push((await pair[n % 2]!.verify({ token: 'not-a-token' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it("with PRECHAT_GUARD_REDIS_MIN_REPLICAS=1 answers valid only what the shard's replica holds", async () => {
    const strict = await startService(trust.dir, {
      env: { REDIS_CLUSTER_NODES: cluster.nodes, PRECHAT_GUARD_REDIS_MIN_REPLICAS: '1' },
    });
    extra.push(strict);
    await strict.ready();
    const bodies = Array.from({ length: 24 }, (_, n) => ({
      token: validToken(trust.key, Math.floor(Date.now() / 1000)).token,
      sessionKey: `0Mw-shard-${n}`,
    }));

    cluster.replicas[0]!.stall();
    let refused: typeof bodies = [];
    try {
      expect((await strict.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      const answers = await Promise.all(bodies.map((body) => strict.verify(body)));
      // The stalled replica's shard refuses; the other two shards bind as usual.
      refused = bodies.filter((_, i) => answers[i]!.status === 503);
      expect(answers.filter((a) => a.status === 503).map((a) => a.json.error)).toEqual(
        refused.map(() => 'store_unavailable'),
      );
      expect(answers.filter((a) => a.status === 200).map((a) => a.json.binding)).toEqual(
        bodies.filter((body) => !refused.includes(body)).map(() => 'new'),
      );
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThan(bodies.length);
      // Asking again during the stall is refused again: a write on the primary alone is not acknowledged.
      for (const answer of await Promise.all(refused.map((body) => strict.verify(body))))
        expect(answer.status).toBe(503);
    } finally {
      cluster.replicas[0]!.resume();
    }
    await strict.ready(10_000);
    for (const body of refused) {
      // Bound now for its own session ("same-session" if the refused write had reached the primary, else "new")...
      expect((await strict.verify(body)).json).toMatchObject({ valid: true });
      // ...and for no other.
      expect((await strict.verify({ ...body, sessionKey: `${body.sessionKey}-thief` })).json).toMatchObject({
        valid: false,
        reason: 'replayed',
      });
    }
  });

  it('fails closed when the cluster cannot give the minimum at all (2 replicas asked, 1 each): never valid', async () => {
    const strict = await startService(trust.dir, {
      env: { REDIS_CLUSTER_NODES: cluster.nodes, PRECHAT_GUARD_REDIS_MIN_REPLICAS: '2' },
    });
    extra.push(strict);
    const ready = await strict.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ bindingStore: { kind: 'redis', reachable: false } });

    // A new binding is written but reaches too few replicas: 503, and asking again does not make it "same-session".
    const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await strict.verify({ token, sessionKey: '0Mw-strict' });
      expect(answer).toEqual({ status: 503, json: expect.objectContaining({ error: 'store_unavailable' }) });
    }
    // An instance without the minimum sees the binding: it was written, just never acknowledged as replicated enough.
    expect((await instances[0]!.verify({ token, sessionKey: '0Mw-other' })).json).toMatchObject({
      valid: false,
      reason: 'replayed',
    });
  });
});
