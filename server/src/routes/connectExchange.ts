// POST /v1/exchange/amazon-connect: called from the browser by the Amazon Connect widget's `authenticate` callback.
// No caller key (the identity token is the credential); CORS only for the configured origins; rate limited per client
// address. Answers { valid: true, chatToken, expiresAt } or the same { valid: false, reason, detail } as /v1/verify.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { StoreUnavailableError } from '../bindings/store';
import { clientBucket } from '../connect/clientAddress';
import { ContactTokenTooLargeError } from '../connect/contactToken';
import { exchangeIdentityToken, type ExchangeOutcome } from '../connect/exchange';
import type { ServiceContext } from '../context';
import { HttpError, rateLimitedError, sendHttpError } from '../httpErrors';
import { tokenFingerprint } from '../log';
import { parseVerifyBody } from './verify';

export const CONNECT_EXCHANGE_PATH = '/v1/exchange/amazon-connect';
/* eslint-disable @typescript-eslint/no-require-imports -- ioredis is loaded only when Redis is configured (app.ts) */
const loadSharedStore = () => require('../bindings/rateLimitStore') as typeof import('../bindings/rateLimitStore');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Per client address (IPv6: per /64) and minute, unless PRECHAT_GUARD_RATE_LIMIT_PER_MIN says otherwise. */
export const DEFAULT_EXCHANGE_LIMIT_PER_MIN = 30;

/** True for `application/json`, with or without parameters, in any letter case. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

const NOT_JSON = new HttpError(
  'unsupported_media_type',
  'Send the body as JSON, with "Content-Type: application/json".',
);

export function registerConnectExchangeRoute(app: FastifyInstance, context: ServiceContext): void {
  const { config } = context;
  const connect = config.connect;
  if (!connect) return;
  const allowedOrigins = new Set(connect.origins);
  if (allowedOrigins.size === 0) {
    app.log.warn('PRECHAT_GUARD_CONNECT_ORIGINS is empty: no browser page on another origin can call the exchange');
  }
  const exchanges = new Counter({
    name: 'prechat_guard_connect_exchanges_total',
    help: 'Amazon Connect exchanges: outcome="issued", "invalid" or "error"; reason = the reason or error code.',
    labelNames: ['outcome', 'reason'],
    registers: [context.metrics.registry],
  });

  // An encapsulated scope under the route's own prefix: the CORS hook and its OPTIONS route touch no other endpoint.
  app.register(
    async (scope) => {
      await scope.register(cors, {
        // A refused origin (or none) gets no CORS headers at all, and its preflight answers 404.
        origin: (origin, callback) =>
          callback(null, origin !== undefined && allowedOrigins.has(origin) ? origin : false),
        methods: ['POST'],
        allowedHeaders: ['content-type'],
        credentials: false,
        maxAge: 600,
      });
      // The app registers the rate-limit plugin only when PRECHAT_GUARD_RATE_LIMIT_PER_MIN is set; this endpoint is
      // always limited, so it brings its own instance otherwise (never both: each would count every request).
      if (!scope.hasDecorator('rateLimit')) {
        await scope.register(rateLimit, {
          // Counted in the shared Redis when one is configured, like the app's own limiter: a limit means the same with
          // one instance or ten. Loaded only then, as app.ts does.
          ...(config.redis ? await loadSharedStore().sharedRateLimitStore(scope, config.redis) : {}),
          global: false,
          errorResponseBuilder: rateLimitedError,
        });
      }
      const limit = scope.rateLimit({
        max: config.rateLimitPerMinute ?? DEFAULT_EXCHANGE_LIMIT_PER_MIN,
        timeWindow: 60_000,
        // The client address only: a browser could otherwise pick a fresh bucket with any Authorization header.
        keyGenerator: (request) => 'connect-exchange:' + clientBucket(request.ip),
      });

      // JSON only, so that a request from another site's page is always preflighted: text/plain, forms and multipart
      // are "simple" requests any page can send without asking (CORS then only hides the answer), and a stolen token
      // sent that way would still be consumed. A refused origin's preflight answers 404, so its JSON never gets here.
      const requireJson = async (request: FastifyRequest, reply: FastifyReply) => {
        if (isJsonContentType(request.headers['content-type'])) return undefined;
        context.metrics.httpErrors.inc({ code: NOT_JSON.code });
        return sendHttpError(reply, NOT_JSON);
      };

      scope.post('', { onRequest: [limit, requireJson] }, async (request, reply) => {
        // A contact token is a credential: no cache may keep the answer.
        reply.header('cache-control', 'no-store');
        const input = parseVerifyBody(request.body);
        // The token itself is a credential: log lines name it by a short hash, worked out once.
        const tokenHash = tokenFingerprint(input.token);
        if (input.sessionKey !== undefined) {
          throw new HttpError('invalid_field', '"sessionKey" is not accepted here: the exchange binds the token.');
        }
        let outcome: ExchangeOutcome;
        try {
          outcome = await exchangeIdentityToken(
            { token: input.token, userId: input.userId },
            { connect, verifier: context.verifier, now: context.now },
          );
        } catch (error) {
          if (error instanceof StoreUnavailableError) {
            context.metrics.storeErrors.inc();
            exchanges.inc({ outcome: 'error', reason: error.code });
          }
          if (error instanceof ContactTokenTooLargeError) {
            exchanges.inc({ outcome: 'error', reason: error.code });
            request.log.warn({ tokenHash, bytes: error.bytes }, error.message);
          }
          throw error;
        }
        const label = outcome.valid ? 'issued' : 'invalid';
        exchanges.inc({ outcome: label, reason: outcome.valid ? 'ok' : outcome.reason });
        request.log.info(
          {
            tokenHash,
            jti: outcome.valid ? outcome.tokenId : undefined,
            outcome: label,
            reason: outcome.valid ? undefined : outcome.reason,
          },
          'amazon connect exchange',
        );
        if (!outcome.valid) return reply.send(outcome);
        return reply.send({ valid: true, chatToken: outcome.chatToken, expiresAt: outcome.expiresAt });
      });
    },
    { prefix: CONNECT_EXCHANGE_PATH },
  );
}
