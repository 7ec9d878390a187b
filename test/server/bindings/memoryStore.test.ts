import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { StoreUnavailableError, digest128, sessionDigest } from '../../../server/src/bindings/store';

const key = (name: string) => digest128(`token ${name}`);
const bound = (session: string, expiresAtMs: number) => ({ sessionDigest: sessionDigest(session), expiresAtMs });

describe('in-process binding store', () => {
  it('binds once: the second bind returns the first binding', async () => {
    const store = new MemoryBindingStore(10);
    const first = await store.bindIfAbsent(key('t1'), bound('A', 2000), 0);
    const second = await store.bindIfAbsent(key('t1'), bound('B', 3000), 1);
    expect(first).toEqual({ created: true, binding: bound('A', 2000) });
    expect(second).toEqual({ created: false, binding: bound('A', 2000) });
    expect(await store.get(key('t1'), 5)).toEqual(bound('A', 2000));
    expect(await store.get(key('t2'), 5)).toBeNull();
  });

  it('is atomic under concurrent binds: exactly one wins', async () => {
    const store = new MemoryBindingStore(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.bindIfAbsent(key('t'), bound(`k${i}`, 1000), 0)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.binding.sessionDigest)).size).toBe(1);
  });

  it('forgets a binding at its end; the same token may then bind again', async () => {
    const store = new MemoryBindingStore(10);
    await store.bindIfAbsent(key('a'), bound('A', 100), 0);
    expect(await store.get(key('a'), 99)).not.toBeNull();
    expect(await store.get(key('a'), 100)).toBeNull();
    expect(await store.bindIfAbsent(key('a'), bound('B', 300), 150)).toMatchObject({ created: true });
    expect(await store.get(key('a'), 200)).toEqual(bound('B', 300));
  });

  it('grows past its first table and keeps every live binding through rebuilds', async () => {
    const store = new MemoryBindingStore(100_000);
    for (let i = 0; i < 5000; i++) await store.bindIfAbsent(key(`g${i}`), bound(`s${i}`, 10_000), 0);
    // Five times the first table's 1024 slots: only a grown table holds them all.
    expect(store.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(await store.get(key(`g${i}`), 1)).not.toBeNull();
    for (let i = 0; i < 5000; i += 97) expect(await store.get(key(`g${i}`), 1)).toEqual(bound(`s${i}`, 10_000));
    expect(await store.bindIfAbsent(key('g42'), bound('other', 20_000), 2)).toMatchObject({ created: false });
  });

  it('reclaims expired bindings on rebuild instead of growing without end', async () => {
    // 7000 bindings over time, never more than 700 alive: with a bound of 1000 the store would refuse (fail closed)
    // from the 1001st on if expired slots were not reused or reclaimed.
    const store = new MemoryBindingStore(1000);
    for (let round = 0; round < 10; round++) {
      const now = round * 1000;
      for (let i = 0; i < 700; i++) await store.bindIfAbsent(key(`r${round}-${i}`), bound('s', now + 500), now);
    }
    expect(store.size).toBeLessThanOrEqual(1000);
    expect(await store.get(key('r9-5'), 9100)).not.toBeNull();
    expect(await store.get(key('r8-5'), 9100)).toBeNull();
  });

  it('fails closed when full of live bindings, and takes new ones once the earliest ends', async () => {
    const store = new MemoryBindingStore(2);
    await store.bindIfAbsent(key('a'), bound('A', 1000), 0);
    await store.bindIfAbsent(key('b'), bound('B', 2000), 0);
    await expect(store.bindIfAbsent(key('c'), bound('C', 3000), 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.bindIfAbsent(key('d'), bound('D', 3000), 2)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.get(key('a'), 2)).toEqual(bound('A', 1000));
    expect(await store.bindIfAbsent(key('c'), bound('C', 4000), 1000)).toMatchObject({ created: true });
    expect(await store.get(key('b'), 1001)).toEqual(bound('B', 2000));
  });

  it('stores digests of session keys, never the keys themselves', async () => {
    const store = new MemoryBindingStore(10);
    await store.bindIfAbsent(key('p'), bound('0MwSecretRecordId', 1000), 0);
    expect(JSON.stringify(await store.get(key('p'), 1))).not.toContain('0MwSecretRecordId');
  });
});
