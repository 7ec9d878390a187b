// Shared binding store on Redis: many service instances, one truth. Binding is a single SET NX PX (no read-then-write).
import { Redis } from 'ioredis';
import { StoreUnavailableError, decodeBinding, encodeBinding, type Binding, type BindingStore } from './store';

const KEY_PREFIX = 'prechat-guard:binding:';

export interface RedisStoreOptions {
  /** How long one command may take before the request fails closed with 503. */
  commandTimeoutMs?: number;
}

export class RedisBindingStore implements BindingStore {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      // Fail fast instead of queueing while disconnected: a queued verification would just time out later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Connection errors surface per command (503); the client keeps reconnecting on its own.
    this.redis.on('error', () => undefined);
  }

  /** Waits (bounded) for the first connection, so a fresh instance does not answer 503 while it connects. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.redis.once('ready', onReady);
    });
  }

  async get(tokenKey: string, nowMs: number): Promise<Binding | null> {
    const raw = await this.run(() => this.redis.get(KEY_PREFIX + tokenKey));
    if (raw === null) return null;
    const binding = decodeBinding(raw);
    if (!binding) throw new StoreUnavailableError('a binding in Redis is not in the expected format');
    return binding.expiresAtMs > nowMs ? binding : null;
  }

  async bindIfAbsent(
    tokenKey: string,
    binding: Binding,
    nowMs: number,
  ): Promise<{ created: boolean; binding: Binding }> {
    const ttlMs = Math.max(1, binding.expiresAtMs - nowMs);
    const key = KEY_PREFIX + tokenKey;
    const set = await this.run(() => this.redis.set(key, encodeBinding(binding), 'PX', ttlMs, 'NX'));
    if (set === 'OK') return { created: true, binding };
    const existing = await this.get(tokenKey, nowMs);
    // Lost the race to a binding that has already expired in between: treat as not verifiable now (fail closed).
    if (!existing) throw new StoreUnavailableError('the binding changed while it was being read');
    return { created: false, binding: existing };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.run(() => this.redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(`Redis did not answer: ${(error as Error).message}`);
    }
  }
}
