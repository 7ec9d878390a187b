// The caller check of the /v1/* routes that need a caller credential. It runs in onRequest, before the body is read:
// a stranger gets 401 whatever body it sends (never a parse error that says how far its request got) and costs no
// parsing. With PRECHAT_GUARD_RATE_LIMIT_PER_MIN, requests count against their client address until a credential is
// proven, and against the proven caller afterwards (callerLimits.ts).
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpError, RATE_LIMITED_DETAIL, sendHttpError } from '../httpErrors';
import type { Metrics } from '../metrics';
import {
  WWW_AUTHENTICATE,
  apiKeyCaller,
  authenticateCaller,
  authorizationHeaderCount,
  bearerToken,
  type CallerIdentity,
} from './authenticate';
import type { CallerLimits, LimitState } from './callerLimits';
import type { NamedCredentialVerifier } from './namedCredentialJwt';

export interface CallerCheckOptions {
  /** The API keys accepted right now (the key file may change them at any time). */
  apiKeyDigests: () => readonly Buffer[];
  jwtVerifier: NamedCredentialVerifier | null;
  /** Null when no rate limit is configured. */
  limits: CallerLimits | null;
  metrics: Metrics;
}

export type CallerCheck = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

const UNAUTHENTICATED = new HttpError(
  'unauthenticated',
  'Send a valid caller credential as "Authorization: Bearer <key or JWT>".',
  { 'www-authenticate': WWW_AUTHENTICATE },
);
const TWO_HEADERS = new HttpError(
  'unauthenticated',
  'Send exactly one Authorization header; this request carries more than one.',
  { 'www-authenticate': WWW_AUTHENTICATE },
);

function limitHeaders(reply: FastifyReply, limit: LimitState): void {
  reply.header('x-ratelimit-limit', limit.limit);
  reply.header('x-ratelimit-remaining', limit.remaining);
  reply.header('x-ratelimit-reset', limit.resetSeconds);
}

export function createCallerCheck({ apiKeyDigests, jwtVerifier, limits, metrics }: CallerCheckOptions): CallerCheck {
  const tooMany = (reply: FastifyReply, limit: LimitState) => {
    metrics.httpErrors.inc({ code: 'rate_limited' });
    limitHeaders(reply, limit);
    return sendHttpError(
      reply,
      new HttpError('rate_limited', RATE_LIMITED_DETAIL, { 'retry-after': limit.resetSeconds }),
    );
  };

  // The general case, with awaits: rate limits and Named Credential JWTs. Resolves with the reply when it answered.
  const check = async (
    request: FastifyRequest,
    reply: FastifyReply,
    headers: number,
    credential: string | null,
    apiKeysChecked: boolean,
  ): Promise<FastifyReply | undefined> => {
    let caller: CallerIdentity | null = null;
    if (credential !== null) {
      // An address that has used up its allowance gets no more answers about API keys this window, the right one
      // included: a right guess must look like a wrong one, or the limit would not slow guessing down. A Named
      // Credential JWT is still checked: it is signed, so it cannot be guessed, and Salesforce callouts leave from
      // addresses that many orgs share, so a neighbour's guessing must not lock a Named Credential caller out.
      const apiKeys = !apiKeysChecked && (limits === null || !(await limits.addressUsedUp(request)));
      caller = await authenticateCaller(credential, apiKeyDigests(), jwtVerifier, { apiKeys });
    }
    if (caller === null) {
      const limit = limits && (await limits.countAddress(request));
      if (limit?.exceeded) return tooMany(reply, limit);
      if (limit) limitHeaders(reply, limit);
      metrics.httpErrors.inc({ code: 'unauthenticated' });
      return sendHttpError(reply, headers > 1 ? TWO_HEADERS : UNAUTHENTICATED);
    }
    if (limits) {
      const limit = await limits.countCaller(request, caller.label);
      if (limit.exceeded) return tooMany(reply, limit);
      limitHeaders(reply, limit);
    }
    return undefined;
  };

  // A callback hook, not an async one: without rate limits, a request with a valid API key (nearly every request)
  // passes without a promise or another turn of the event loop. Everything else takes the general path.
  return (request, reply, done) => {
    const headers = authorizationHeaderCount(request);
    const credential = headers === 1 ? bearerToken(request) : null;
    const apiKeysChecked = limits === null && credential !== null;
    if (apiKeysChecked && apiKeyCaller(credential, apiKeyDigests()) !== null) return done();
    check(request, reply, headers, credential, apiKeysChecked).then((answered) => {
      if (answered === undefined) done();
    }, done);
  };
}
