import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { StoreUnavailableError } from '../../../server/src/bindings/store';

describe('in-process binding store', () => {
  it('binds once: the second bind returns the first binding', async () => {
    const store = new MemoryBindingStore(10);
    const first = await store.bindIfAbsent('t1', { sessionKey: 'A', expiresAtMs: 2000 }, 0);
    const second = await store.bindIfAbsent('t1', { sessionKey: 'B', expiresAtMs: 3000 }, 1);
    expect(first).toEqual({ created: true, binding: { sessionKey: 'A', expiresAtMs: 2000 } });
    expect(second).toEqual({ created: false, binding: { sessionKey: 'A', expiresAtMs: 2000 } });
  });

  it('is atomic under concurrent binds: exactly one wins', async () => {
    const store = new MemoryBindingStore(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.bindIfAbsent('t', { sessionKey: `k${i}`, expiresAtMs: 1000 }, 0)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.binding.sessionKey)).size).toBe(1);
  });

  it('forgets a binding at its end and evicts expired ones before refusing', async () => {
    const store = new MemoryBindingStore(2);
    await store.bindIfAbsent('a', { sessionKey: 'A', expiresAtMs: 100 }, 0);
    await store.bindIfAbsent('b', { sessionKey: 'B', expiresAtMs: 200 }, 0);
    expect(await store.get('a', 100)).toBeNull();
    await expect(store.bindIfAbsent('c', { sessionKey: 'C', expiresAtMs: 300 }, 150)).resolves.toMatchObject({
      created: true,
    });
    expect(store.size).toBe(2);
  });

  it('fails closed when full of live bindings', async () => {
    const store = new MemoryBindingStore(1);
    await store.bindIfAbsent('a', { sessionKey: 'A', expiresAtMs: 1000 }, 0);
    await expect(store.bindIfAbsent('b', { sessionKey: 'B', expiresAtMs: 1000 }, 1)).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await store.get('a', 2)).toEqual({ sessionKey: 'A', expiresAtMs: 1000 });
  });

  it('keeps session keys with any characters', async () => {
    const store = new MemoryBindingStore(1);
    await store.bindIfAbsent('a', { sessionKey: 'x|y|z', expiresAtMs: 1000 }, 0);
    expect(await store.get('a', 1)).toEqual({ sessionKey: 'x|y|z', expiresAtMs: 1000 });
  });
});
