// PRECHAT_GUARD_RATE_LIMIT_PER_MIN with Redis configured: the counters live in that Redis, so two instances behind one
// load balancer allow a caller the limit once, not once each (as they do with no Redis). A Redis that does not answer
// the limiter fails closed with the service's 503, never the 500 of an unexpected error.
import { createCallerKey } from '../../../bench/lib/keys';
import { createTrust, startService, type TestService, type TrustFixture } from '../../hardening/support/service';
import { RedisServer, describeWithRedisServer, stopAllRedis } from '../../support/redisServers';

jest.setTimeout(20_000);

const LIMIT = 5;

describeWithRedisServer('rate limit shared through Redis', () => {
  let trust: TrustFixture;
  let redis: RedisServer;
  const services: TestService[] = [];

  /** Two instances accepting the same caller key, with the limit and `env`. */
  async function pair(env: Record<string, string>): Promise<TestService[]> {
    const callerKey = createCallerKey();
    const both = await Promise.all(
      [0, 1].map(() =>
        startService(trust.dir, { env: { PRECHAT_GUARD_RATE_LIMIT_PER_MIN: String(LIMIT), ...env }, callerKey }),
      ),
    );
    services.push(...both);
    await Promise.all(both.map((service) => service.ready()));
    return both;
  }

  /** `count` requests from one caller, alternating between the instances; the statuses in order. */
  async function alternate(instances: TestService[], count: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let n = 0; n < count; n++) statuses.push((await instances[n % 2]!.verify({ token: 'not-a-token' })).status);
    return statuses;
  }

  beforeAll(async () => {
    trust = createTrust();
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await stopAllRedis();
    trust?.remove();
  });

  it('two instances on one Redis allow a caller the limit once between them', async () => {
    const instances = await pair({ REDIS_URL: `redis://${redis.address}` });
    expect(await alternate(instances, 8)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const counters = await redis.cli('--scan', '--pattern', 'prechat-guard:rate:*');
    expect(counters.split('\n')).toHaveLength(1); // one counter for the caller, whichever instance counted
    expect(counters).not.toContain('undefined');
  });

  it('without Redis each instance counts alone (the limit doubles with two instances)', async () => {
    const instances = await pair({});
    expect(await alternate(instances, 8)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
  });

  it('fails closed with 503 store_unavailable when Redis stops answering the limiter', async () => {
    const [instance] = await pair({ REDIS_URL: `redis://${redis.address}` });
    expect((await instance!.verify({ token: 'not-a-token' })).status).toBe(200);
    await redis.stop('SIGKILL');
    const answer = await instance!.verify({ token: 'not-a-token' });
    expect(answer).toEqual({ status: 503, json: expect.objectContaining({ error: 'store_unavailable' }) });
  });
});
