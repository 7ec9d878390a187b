// Shared binding store on Redis (one server, a Cluster, or a Sentinel-managed primary): many service instances, one
// truth. Binding is a single SET NX PX on one key, so one cluster slot (no read-then-write). With a minimum of replicas
// the answer also waits (Redis WAIT) until that many replicas hold the binding; short of it, the request fails closed.
import type { ChainableCommander } from 'ioredis';
import type { RedisConfig } from '../config';
import { PROBE_INSTANCE, createRedisClient, probeKeys, singleRedis, whenReady, type RedisClient } from './redisClient';
import { StoreUnavailableError, decodeBinding, encodeBinding, type Binding, type BindingStore } from './store';

const KEY_PREFIX = 'prechat-guard:binding:';

// Re-sets the binding's own expiry to the same instant (time stands still inside a script), so that a WAIT sent right
// after it on this connection covers the write that created the binding, whichever instance or connection made it.
// Without this, a bound token re-verified after its first answer failed for want of replicas would count as bound.
// Sent as EVAL every time, never EVALSHA: ioredis retries a NOSCRIPT outside the pipeline, after the WAIT has answered.
const CONFIRM_LUA = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return redis.call('GET', KEYS[1])`;

export interface RedisStoreOptions {
  /** How long one command may take before the request fails closed with 503. */
  commandTimeoutMs?: number;
  /** How long a new binding may wait for its replicas (default: half the command timeout). */
  replicaWaitMs?: number;
}

export class RedisBindingStore implements BindingStore {
  readonly kind = 'redis';
  private readonly redis: RedisClient;
  private readonly minReplicas: number;
  private readonly replicaWaitMs: number;
  /** Outer bound of one store call: ioredis bounds each command, this bounds retries and redirections too. */
  private readonly boundMs: number;

  constructor(target: RedisConfig | string, options: RedisStoreOptions = {}) {
    const config = typeof target === 'string' ? singleRedis(target) : target;
    const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.minReplicas = config.minReplicas;
    this.replicaWaitMs = options.replicaWaitMs ?? Math.floor(commandTimeoutMs / 2);
    this.boundMs = 2 * commandTimeoutMs;
    this.redis = createRedisClient(config, { commandTimeoutMs });
  }

  /** Waits (bounded) for the first connection, so a fresh instance does not answer 503 while it connects. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    return whenReady(this.redis, timeoutMs);
  }

  async get(tokenKey: string, nowMs: number): Promise<Binding | null> {
    const key = KEY_PREFIX + tokenKey;
    const raw = this.minReplicas === 0 ? await this.run(() => this.redis.get(key)) : await this.getReplicated(key);
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
    const value = encodeBinding(binding);
    if (this.minReplicas === 0) {
      const set = await this.run(() => this.redis.set(key, value, 'PX', ttlMs, 'NX'));
      if (set === 'OK') return { created: true, binding };
    } else {
      // One pipeline, so WAIT travels on the connection (and to the cluster node) that made the write.
      const [set, replicas] = await this.pipeline((p) =>
        p.set(key, value, 'PX', ttlMs, 'NX').wait(this.minReplicas, this.replicaWaitMs),
      );
      if (set === 'OK') {
        this.requireReplicas(replicas);
        return { created: true, binding };
      }
    }
    const existing = await this.get(tokenKey, nowMs);
    // Lost the race to a binding that has already expired in between: treat as not verifiable now (fail closed).
    if (!existing) throw new StoreUnavailableError('the binding changed while it was being read');
    return { created: false, binding: existing };
  }

  /**
   * True when every primary a binding may land on takes a probe write (and, with a minimum of replicas, passes it on
   * to that many in time): exactly what a new binding needs. A write, so that a read-only replica or an ACL user
   * without SET is not ready either.
   */
  async ping(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    const keys = probeKeys(this.redis, PROBE_INSTANCE);
    if (keys.length === 0) return false;
    try {
      await Promise.all(
        keys.map(async (key) => {
          if (this.minReplicas === 0) return void (await this.run(() => this.redis.set(key, '1', 'PX', 60_000)));
          const [, replicas] = await this.pipeline((p) =>
            p.set(key, '1', 'PX', 60_000).wait(this.minReplicas, this.replicaWaitMs),
          );
          this.requireReplicas(replicas);
        }),
      );
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** The binding (confirmed on the minimum of replicas), or null. */
  private async getReplicated(key: string): Promise<string | null> {
    const [raw, replicas] = await this.pipeline((p) =>
      p.eval(CONFIRM_LUA, 1, key).wait(this.minReplicas, this.replicaWaitMs),
    );
    if (raw === null) return null;
    this.requireReplicas(replicas);
    return raw as string;
  }

  private requireReplicas(replicas: unknown): void {
    if (typeof replicas !== 'number' || replicas < this.minReplicas) {
      throw new StoreUnavailableError(
        `the binding reached ${String(replicas)} of ${this.minReplicas} required replicas within ${this.replicaWaitMs} ms`,
      );
    }
  }

  private async pipeline(build: (pipeline: ChainableCommander) => ChainableCommander): Promise<unknown[]> {
    const results = await this.run(() => build(this.redis.pipeline()).exec());
    if (!results) throw new StoreUnavailableError('Redis did not run the commands');
    return results.map(([error, value]) => {
      if (error) throw new StoreUnavailableError(`Redis did not answer: ${error.message}`);
      return value;
    });
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.boundMs} ms`)), this.boundMs);
        }),
      ]);
    } catch (error) {
      throw new StoreUnavailableError(`Redis did not answer: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
