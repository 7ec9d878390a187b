// One Redis with AOF persistence (appendonly yes, appendfsync always), killed with SIGKILL (a crash: nothing flushed
// on the way out) and started again on the same folder. Every binding answered before the crash still holds after it,
// on the same service instance, which recovers without a restart. The same crash without persistence forgets them,
// and a bound token can then be bound to another chat: what AOF buys.
import {
  createTrust,
  startService,
  validToken,
  type TestService,
  type TrustFixture,
} from '../../hardening/support/service';
import { AOF_ALWAYS, RedisServer, describeWithRedisServer, stopAllRedis, until } from '../../support/redisServers';
import { expectBoundTo } from '../../support/replay';

jest.setTimeout(30_000);

describeWithRedisServer('binding store on one Redis with AOF, across a crash', () => {
  let trust: TrustFixture;
  const services: TestService[] = [];

  const fresh = () => validToken(trust.key, Math.floor(Date.now() / 1000)).token;
  const readyz = async (service: TestService) =>
    (await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode;

  async function crashAndRestart(config: string[][]) {
    const redis = await RedisServer.start({ config });
    const service = await startService(trust.dir, {
      env: { REDIS_URL: `redis://${redis.address}`, PRECHAT_GUARD_SESSION_TTL_S: '900' },
    });
    services.push(service);
    await service.ready();
    const bound = Array.from({ length: 30 }, (_, n) => ({ token: fresh(), sessionKey: `0Mw-crash-${n}` }));
    for (const body of bound) expect((await service.verify(body)).json).toMatchObject({ valid: true, binding: 'new' });

    await redis.stop('SIGKILL');
    expect(await readyz(service)).toBe(503);
    expect((await service.verify({ token: fresh(), sessionKey: '0Mw-down' })).status).toBe(503);
    await redis.start();
    await until('the same instance to be ready again', async () => (await readyz(service)) === 200);
    return { service, bound };
  }

  beforeAll(() => {
    trust = createTrust();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await stopAllRedis();
    trust?.remove();
  });

  it('with appendfsync always: every binding answered before the crash is enforced after it', async () => {
    const { service, bound } = await crashAndRestart(AOF_ALWAYS);
    for (const { token, sessionKey } of bound) await expectBoundTo(service, token, sessionKey);
  });

  it('without persistence the same crash forgets them: a bound token binds again to another chat', async () => {
    const { service, bound } = await crashAndRestart([['appendonly', 'no']]);
    const { token, sessionKey } = bound[0]!;
    expect((await service.verify({ token, sessionKey: `${sessionKey}-thief` })).json).toMatchObject({
      valid: true,
      binding: 'new',
    });
  });
});
