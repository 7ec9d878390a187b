// Per-minute limits for the callers of /v1/* (PRECHAT_GUARD_RATE_LIMIT_PER_MIN), counted by @fastify/rate-limit in two
// separate bucket spaces: client addresses, for requests without a proven credential (failed authentications
// included), and proven callers. A wrong key is not a caller, so it never gets a bucket of its own: every made-up key
// sent from one address draws on that address's allowance. And because only proven callers ever enter the caller
// space, no flood of made-up keys can push a real caller's counter out of it (the in-memory store is an LRU of 5000
// keys per space; only addresses compete for theirs).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/rate-limit'; // its FastifyInstance.createRateLimit declaration
import { clientBucket } from '../connect/clientAddress';

export interface LimitState {
  exceeded: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

export interface CallerLimits {
  /** True when the request's address has nothing left this window (the request itself is not counted). */
  addressUsedUp(request: FastifyRequest): Promise<boolean>;
  /** Counts a request that proved no caller against its client address (IPv4, or the IPv6 /64). */
  countAddress(request: FastifyRequest): Promise<LimitState>;
  /** Counts a request against the proven caller's own allowance. */
  countCaller(request: FastifyRequest, callerLabel: string): Promise<LimitState>;
}

type Checked = Awaited<ReturnType<ReturnType<FastifyInstance['createRateLimit']>>>;

function state(checked: Checked): LimitState {
  // Nothing here uses an allow list, so every answer carries a count.
  if (checked.isAllowed) throw new Error('unexpected allow-listed rate-limit key');
  return {
    exceeded: checked.isExceeded,
    limit: checked.max,
    remaining: checked.remaining,
    resetSeconds: checked.ttlInSeconds,
  };
}

/** Needs @fastify/rate-limit registered on the app (with the memory or the shared Redis store). */
export function createCallerLimits(app: FastifyInstance, perMinute: number): CallerLimits {
  const labels = new WeakMap<FastifyRequest, string>();
  // Each createRateLimit gets a child store of its own. The key prefixes keep the spaces apart in a shared Redis too,
  // where the children of createRateLimit share one key prefix.
  const byAddress = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => 'v1-address:' + clientBucket(request.ip),
  });
  const byCaller = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => 'v1-caller:' + labels.get(request)!,
  });
  return {
    async addressUsedUp(request) {
      return state(await byAddress(request, { increment: false })).remaining === 0;
    },
    async countAddress(request) {
      return state(await byAddress(request));
    },
    async countCaller(request, callerLabel) {
      labels.set(request, callerLabel);
      return state(await byCaller(request));
    },
  };
}
