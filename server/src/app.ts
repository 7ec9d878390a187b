// The HTTP app: stores, verifier, caller authentication, routes, limits, and an error handler that hides 5xx details.
import { createHash } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config';
import { MemoryBindingStore } from './bindings/memoryStore';
import { StoreUnavailableError, type BindingStore } from './bindings/store';
import { authenticateCaller, bearerToken, WWW_AUTHENTICATE } from './callers/authenticate';
import type { ServiceContext } from './context';
import { ensureDevMaterial, type DevMaterial } from './dev/devMaterial';
import { TrustStore } from './keys/trustStore';
import { LOGGER_OPTIONS } from './log';
import { createMetrics } from './metrics';
import { registerDevMintRoute } from './routes/devMint';
import { registerHealthRoutes } from './routes/health';
import { registerJwksRoute } from './routes/jwks';
import { registerConnectExchangeRoute } from './routes/connectExchange';
import { registerMetricsRoute } from './routes/metrics';
import { registerVerifyRoute } from './routes/verify';
import { RequestError } from './tokens/outcome';
import { TokenVerifier } from './tokens/verifier';
import { sha256 } from './config';

export const BODY_LIMIT_BYTES = 16 * 1024;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when configured: ioredis, jose and the rate
   limiter add ~170 ms to every start (measured), and most deployments use one or none of them. */
const lazy = {
  redisStore: () => require('./bindings/redisStore') as typeof import('./bindings/redisStore'),
  namedCredentialJwt: () => require('./callers/namedCredentialJwt') as typeof import('./callers/namedCredentialJwt'),
  rateLimit: () => (require('@fastify/rate-limit') as typeof import('@fastify/rate-limit')).default,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface BuildAppOptions {
  config: Config;
  /** Clock in milliseconds; tests freeze it. */
  now?: () => number;
  /** A pino logger, or false for silence (tests). Default: JSON to stdout. */
  logger?: Logger | false;
  /** Watch the trust folder for changes (default true). */
  watchTrustStore?: boolean;
  /** Replace the binding store (tests inject faults). */
  bindings?: BindingStore;
}

export interface PrechatGuardApp extends FastifyInstance {
  prechatGuard: ServiceContext;
}

function errorBody(code: string, detail: string) {
  return { error: code, detail };
}

export async function buildApp(options: BuildAppOptions): Promise<PrechatGuardApp> {
  const config = { ...options.config };
  const now = options.now ?? Date.now;
  let dev: DevMaterial | null = null;
  if (config.mode === 'dev') {
    dev = ensureDevMaterial(config.devDir, now());
    if (config.callerKeyDigests.length === 0) config.callerKeyDigests = [sha256(dev.callerKey)];
  }

  const app = Fastify({
    logger: options.logger === false ? false : (options.logger ?? LOGGER_OPTIONS),
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a load balancer the client address (per-address rate limits) comes from X-Forwarded-For.
    trustProxy: config.trustProxy as boolean | string[], // a hop count is accepted at run time too
    requestTimeout: 15_000,
    connectionTimeout: 20_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // One log line per verification (routes/verify.ts) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    // No prototype tricks through JSON bodies.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  }) as unknown as PrechatGuardApp;

  for (const warning of config.warnings) app.log.warn({ configuration: warning }, 'weak configuration');
  const trustStore = new TrustStore(config.trustDir, {
    onReload: (snapshot) => {
      app.log.info(
        { trustDir: config.trustDir, kids: [...snapshot.keys.keys()], generation: snapshot.generation },
        'trust store loaded',
      );
      for (const problem of snapshot.problems) app.log.warn(problem, 'trust store file skipped');
    },
  });
  if (options.watchTrustStore !== false) trustStore.watch();
  const bindings: BindingStore =
    options.bindings ??
    (config.redisUrl
      ? new (lazy.redisStore().RedisBindingStore)(config.redisUrl)
      : new MemoryBindingStore(config.memoryMaxBindings));
  if (bindings.ready && !(await bindings.ready())) {
    // Start anyway: /readyz stays 503 and every verification answers 503 until the store is reachable.
    app.log.error('the binding store is not reachable yet; verifications answer 503 until it is');
  }
  const jwtCallers = config.callerJwt
    ? new (lazy.namedCredentialJwt().NamedCredentialVerifier)(config.callerJwt, now, config.clockToleranceSeconds)
    : null;
  const verifier = new TokenVerifier({ config, trustStore, bindings, now });
  const metrics = createMetrics(trustStore, now);

  const requireCaller = async (request: FastifyRequest, reply: FastifyReply) => {
    const credential = bearerToken(request);
    const caller = credential ? await authenticateCaller(credential, config.callerKeyDigests, jwtCallers) : null;
    if (!caller) {
      metrics.httpErrors.inc({ code: 'unauthenticated' });
      return reply
        .code(401)
        .header('www-authenticate', WWW_AUTHENTICATE)
        .send(errorBody('unauthenticated', 'Send a valid caller credential as "Authorization: Bearer <key or JWT>".'));
    }
  };

  // Routes opt in to the rate limit (only registered when configured) through their route config.
  const limitedRoute = config.rateLimitPerMinute !== null ? { config: { rateLimit: {} } } : {};
  const context: ServiceContext = {
    config,
    trustStore,
    bindings,
    verifier,
    metrics,
    now,
    requireCaller,
    limitedRoute,
    dev,
  };
  app.decorate('prechatGuard', context);

  // Every body is read as text and parsed here, so any content type (or none) gets the same clear 400. Fastify's
  // own JSON parser refuses __proto__ / constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    parseJson(request, text, (error, value) => {
      if (error) {
        done(
          new RequestError(
            400,
            'invalid_json',
            'The body is not valid JSON (or has forbidden keys such as __proto__).',
          ),
        );
      } else done(null, value);
    });
  });

  app.setErrorHandler((error: FastifyError | RequestError | StoreUnavailableError, request, reply) => {
    if (error instanceof RequestError) {
      metrics.httpErrors.inc({ code: error.code });
      return reply.code(error.status).send(errorBody(error.code, error.message));
    }
    if (error instanceof StoreUnavailableError) {
      request.log.error({ err: { message: error.message } }, 'binding store unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          errorBody('store_unavailable', 'The binding store is unreachable; nothing is verified until it is back.'),
        );
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      metrics.httpErrors.inc({ code: 'payload_too_large' });
      return reply
        .code(413)
        .send(errorBody('payload_too_large', `The body must be at most ${BODY_LIMIT_BYTES} bytes.`));
    }
    if (fastifyError.statusCode === 429) {
      metrics.httpErrors.inc({ code: 'rate_limited' });
      return reply.code(429).send(errorBody('rate_limited', 'Too many requests; slow down and retry shortly.'));
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      // Framework-level client errors (bad content length, prototype poisoning, …): a stable code, no internals.
      metrics.httpErrors.inc({ code: 'bad_request' });
      return reply.code(400).send(errorBody('bad_request', 'The request could not be read.'));
    }
    request.log.error({ err: { message: fastifyError.message, code: fastifyError.code } }, 'internal error');
    return reply.code(500).send(errorBody('internal_error', 'Something went wrong on our side; nothing was verified.'));
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(errorBody('not_found', 'No such endpoint.'));
  });

  if (config.rateLimitPerMinute !== null) {
    await app.register(lazy.rateLimit(), {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // Per caller credential (hashed), or per address when no credential is sent.
      keyGenerator: (request) => {
        const credential = bearerToken(request);
        return credential
          ? 'cred:' + createHash('sha256').update(credential).digest('base64url').slice(0, 22)
          : 'ip:' + request.ip;
      },
      errorResponseBuilder: (_request, context) => {
        const error = new Error('rate limited') as FastifyError;
        error.statusCode = context.statusCode;
        return error;
      },
    });
  }

  registerVerifyRoute(app, context);
  registerDevMintRoute(app, context);
  registerJwksRoute(app, context);
  registerHealthRoutes(app, context);
  registerMetricsRoute(app, context);
  // Browser endpoint with its own CORS and per-address limit, scoped to its path (routes/connectExchange.ts).
  if (config.connect) registerConnectExchangeRoute(app, context);

  app.addHook('onClose', async () => {
    trustStore.close();
    jwtCallers?.close();
    await bindings.close();
  });
  await app.ready();
  return app;
}
