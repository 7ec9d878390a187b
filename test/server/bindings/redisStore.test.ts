// Real Redis (REDIS_URL, default redis://127.0.0.1:6379).
import { randomUUID } from 'node:crypto';
import { RedisBindingStore } from '../../../server/src/bindings/redisStore';
import { StoreUnavailableError, sessionDigest } from '../../../server/src/bindings/store';
import { SHARED_REDIS_URL as REDIS_URL, describeWithSharedRedis } from '../../support/sharedRedis';

const withRedis = describeWithSharedRedis('The Redis binding store suite (test/server/bindings/redisStore.test.ts)');

withRedis('Redis binding store', () => {
  let store: RedisBindingStore;
  beforeAll(async () => {
    store = new RedisBindingStore(REDIS_URL);
    expect(await store.ready(5000)).toBe(true);
  });
  afterAll(() => store.close());

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBe(true);
  });

  it('binds with one SET NX PX: exactly one of many concurrent binds wins', async () => {
    const key = `test-${randomUUID()}`;
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.bindIfAbsent(key, { sessionDigest: sessionDigest(`k${i}`), expiresAtMs: now + 5000 }, now),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.binding.sessionDigest)).size).toBe(1);
  });

  it('lets Redis expire the binding at its end', async () => {
    const key = `test-${randomUUID()}`;
    const now = Date.now();
    await store.bindIfAbsent(key, { sessionDigest: sessionDigest('A'), expiresAtMs: now + 150 }, now);
    expect(await store.get(key, Date.now())).toMatchObject({ sessionDigest: sessionDigest('A') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get(key, Date.now())).toBeNull();
  });

  it('fails with StoreUnavailableError (not a hang) when Redis is unreachable', async () => {
    const down = new RedisBindingStore('redis://127.0.0.1:1', { commandTimeoutMs: 300 });
    try {
      await expect(down.get('x', Date.now())).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(
        down.bindIfAbsent('x', { sessionDigest: sessionDigest('A'), expiresAtMs: Date.now() + 1000 }, Date.now()),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(down.ping()).resolves.toBe(false);
    } finally {
      await down.close();
    }
  });
});
