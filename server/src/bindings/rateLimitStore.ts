// @fastify/rate-limit counters in the shared Redis, so that a limit means the same with one instance or ten. The
// counting is the plugin's own (its RedisStore: one Lua INCR + PEXPIRE on one key, so one cluster slot); this module
// gives it a client for the configured topology and turns a Redis that does not answer into the service's 503
// (fail closed), where the plugin's raw client error would otherwise reach the caller as a 500 "bug".
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { RedisConfig } from '../config';
import { createRedisClient, whenReady, type RedisClient } from './redisClient';
import { StoreUnavailableError } from './store';

/** Counter keys: `prechat-guard:rate:<method><url>-<limiter key>` (an ACL on `prechat-guard:*` covers them). */
export const RATE_LIMIT_PREFIX = 'prechat-guard:rate:';

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];
type ChildParams = { routeInfo?: { method?: string; url?: string } } & Record<string, unknown>;

interface PluginRedisStore {
  incr(key: string, callback: Counted, timeWindow: number, max: number): void;
  read(key: string, callback: Counted, timeWindow: number, max: number): void;
  child(params: ChildParams): PluginRedisStore;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the plugin's own Redis counter (the module its `redis`
   option uses), reached by path because the plugin exports no name for it. */
const PluginRedisStore = require('@fastify/rate-limit/store/RedisStore') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: RedisClient,
  key: string,
) => PluginRedisStore;
/* eslint-enable @typescript-eslint/no-require-imports */

function failClosed(callback: Counted): Counted {
  return (error, result) =>
    error
      ? callback(new StoreUnavailableError(`the rate-limit counter in Redis did not answer: ${error.message}`))
      : callback(null, result);
}

class FailClosedStore implements FastifyRateLimitStore {
  constructor(private readonly inner: PluginRedisStore) {}

  incr(key: string, callback: Counted, timeWindow: number, max: number): void {
    this.inner.incr(key, failClosed(callback), timeWindow, max);
  }

  read(key: string, callback: Counted, timeWindow: number, max: number): void {
    this.inner.read(key, failClosed(callback), timeWindow, max);
  }

  child(routeOptions: RouteOptions): FastifyRateLimitStore {
    // What the plugin passes is its merged limiter options, with the route as `routeInfo` (not the type it declares).
    // Its child prefixes keys with the route's method and URL; a limiter made with createRateLimit or rateLimit() has
    // neither, which would put "undefinedundefined" in every key name.
    const params = routeOptions as unknown as ChildParams;
    const { method = '', url = '' } = params.routeInfo ?? {};
    return new FailClosedStore(this.inner.child({ ...params, routeInfo: { ...params.routeInfo, method, url } }));
  }
}

/**
 * Options for @fastify/rate-limit that keep its counters in the configured Redis. The client is the app's own (closed
 * with it), separate from the binding store's so that either can be replaced in tests without the other. Resolves once
 * it is connected (bounded, like the binding store), so that a fresh instance does not refuse its first requests.
 */
export async function sharedRateLimitStore(
  app: FastifyInstance,
  redis: RedisConfig,
): Promise<{ store: FastifyRateLimitStoreCtor }> {
  const client = createRedisClient(redis);
  app.addHook('onClose', async () => client.disconnect());
  await whenReady(client, 2000);
  class SharedRateLimitStore extends FailClosedStore {
    constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      super(
        new PluginRedisStore(
          params.continueExceeding === true,
          params.exponentialBackoff === true,
          client,
          RATE_LIMIT_PREFIX,
        ),
      );
    }
  }
  return { store: SharedRateLimitStore };
}
