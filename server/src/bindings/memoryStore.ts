// In-process binding store: one instance only. Bounded; evicts by expiry; when full of live bindings it fails closed.
import { StoreUnavailableError, decodeBinding, encodeBinding, type Binding, type BindingStore } from './store';

export class MemoryBindingStore implements BindingStore {
  readonly kind = 'memory';
  // Every binding lives for the same session lifetime from its creation, so insertion order is expiry order:
  // eviction only ever looks at the front of the Map.
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  async get(tokenKey: string, nowMs: number): Promise<Binding | null> {
    return this.live(tokenKey, nowMs);
  }

  async bindIfAbsent(
    tokenKey: string,
    binding: Binding,
    nowMs: number,
  ): Promise<{ created: boolean; binding: Binding }> {
    const existing = this.live(tokenKey, nowMs);
    if (existing) return { created: false, binding: existing };
    this.evictExpired(nowMs);
    if (this.entries.size >= this.maxEntries) {
      // Dropping a live binding would let its token be replayed elsewhere: refuse instead.
      throw new StoreUnavailableError('the in-process binding store is full of live bindings');
    }
    this.entries.set(tokenKey, encodeBinding(binding));
    return { created: true, binding };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(tokenKey: string, nowMs: number): Binding | null {
    const raw = this.entries.get(tokenKey);
    if (raw === undefined) return null;
    const binding = decodeBinding(raw);
    if (!binding || binding.expiresAtMs <= nowMs) {
      this.entries.delete(tokenKey);
      return null;
    }
    return binding;
  }

  private evictExpired(nowMs: number): void {
    for (const [key, raw] of this.entries) {
      const binding = decodeBinding(raw);
      if (binding && binding.expiresAtMs > nowMs) break;
      this.entries.delete(key);
    }
  }
}
