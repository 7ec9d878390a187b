// The HTTP app: stores, verifier, caller authentication, routes, limits, and an error handler that hides 5xx details.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config';
import { MemoryBindingStore } from './bindings/memoryStore';
import type { BindingStore } from './bindings/store';
import { createCallerCheck } from './callers/callerCheck';
import { CallerKeysFile } from './callers/callerKeysFile';
import { createCallerLimits } from './callers/callerLimits';
import type { ServiceContext } from './context';
import { ensureDevMaterial, type DevMaterial } from './dev/devMaterial';
import {
  HttpError,
  NOT_FOUND,
  SHUTTING_DOWN,
  createClientErrorHandler,
  createErrorHandler,
  createFrameworkErrorHandler,
  rateLimitedError,
  sendHttpError,
} from './httpErrors';
import { TrustStore, type TrustSnapshot } from './keys/trustStore';
import { LOGGER_OPTIONS } from './log';
import { sha256Bytes } from './sha256';
import { createMetrics } from './metrics';
import { registerDevMintRoute } from './routes/devMint';
import { registerHealthRoutes } from './routes/health';
import { registerJwksRoute } from './routes/jwks';
import { registerConnectExchangeRoute } from './routes/connectExchange';
import { registerMetricsRoute } from './routes/metrics';
import { registerVerifyRoute } from './routes/verify';
import { TokenVerifier } from './tokens/verifier';

export const BODY_LIMIT_BYTES = 16 * 1024;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when configured: ioredis, jose and the rate
   limiter add ~170 ms to every start (measured), and most deployments use one or none of them. */
const lazy = {
  redisStore: () => require('./bindings/redisStore') as typeof import('./bindings/redisStore'),
  namedCredentialJwt: () => require('./callers/namedCredentialJwt') as typeof import('./callers/namedCredentialJwt'),
  rateLimit: () => (require('@fastify/rate-limit') as typeof import('@fastify/rate-limit')).default,
  rateLimitStore: () => require('./bindings/rateLimitStore') as typeof import('./bindings/rateLimitStore'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface BuildAppOptions {
  config: Config;
  /** Clock in milliseconds; tests freeze it. */
  now?: () => number;
  /** A pino logger, or false for silence (tests). Default: JSON to stdout. */
  logger?: Logger | false;
  /** Watch the trust folders and the caller key file for changes (default true). */
  watchTrustStore?: boolean;
  /** Replace the binding store (tests inject faults). */
  bindings?: BindingStore;
}

export interface PrechatGuardApp extends FastifyInstance {
  prechatGuard: ServiceContext;
}

export async function buildApp(options: BuildAppOptions): Promise<PrechatGuardApp> {
  const config = { ...options.config };
  const now = options.now ?? Date.now;
  let dev: DevMaterial | null = null;
  if (config.mode === 'dev') {
    dev = ensureDevMaterial(config.devDir, now());
    if (config.callerKeyDigests.length === 0) config.callerKeyDigests = [sha256Bytes(dev.callerKey)];
  }

  const app = Fastify({
    // Fastify 5 takes a ready pino instance as `loggerInstance`, and options for its own as `logger`.
    ...(options.logger ? { loggerInstance: options.logger } : { logger: options.logger ?? LOGGER_OPTIONS }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a load balancer the client address (per-address rate limits) comes from X-Forwarded-For.
    trustProxy: config.trustProxy as boolean | string[], // a hop count is accepted at run time too
    requestTimeout: 15_000,
    connectionTimeout: 20_000,
    keepAliveTimeout: 65_000,
    // While closing, requests still arriving on open connections get the service's own 503 (the onRequest hook below).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // What Node's parser and Fastify's router refuse, answered in the service's shape (httpErrors.ts). They only run
    // once requests arrive, when `metrics` below exists.
    clientErrorHandler: createClientErrorHandler((code) => metrics.httpErrors.inc({ code })),
    frameworkErrors: createFrameworkErrorHandler((code) => metrics.httpErrors.inc({ code })),
    // One log line per verification (routes/verify.ts) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    // No prototype tricks through JSON bodies.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  }) as unknown as PrechatGuardApp;

  // Shutting down: requests that still arrive on open connections are refused in the service's shape, with
  // `Connection: close`, so that clients and load balancers move on to another instance. The first hook added, so it
  // covers every route and the 404 handler.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    metrics.httpErrors.inc({ code: SHUTTING_DOWN.code });
    sendHttpError(reply, SHUTTING_DOWN);
  });

  for (const warning of config.warnings) app.log.warn({ configuration: warning }, 'weak configuration');
  const watch = options.watchTrustStore !== false;
  const logTrustReload = (what: string, dir: string) => (snapshot: TrustSnapshot) => {
    app.log.info({ trustDir: dir, kids: [...snapshot.keys.keys()], generation: snapshot.generation }, `${what} loaded`);
    for (const problem of snapshot.problems) app.log.warn(problem, `${what} file skipped`);
  };
  const trustStore = new TrustStore(config.trustDir, { onReload: logTrustReload('trust store', config.trustDir) });
  if (watch) trustStore.watch();
  const bindings: BindingStore =
    options.bindings ??
    (config.redis
      ? new (lazy.redisStore().RedisBindingStore)(config.redis)
      : new MemoryBindingStore(config.memoryMaxBindings));
  if (bindings.ready && !(await bindings.ready())) {
    // Start anyway: /readyz stays 503 and every verification answers 503 until the store is reachable.
    app.log.error('the binding store is not reachable yet; verifications answer 503 until it is');
  }
  // Caller credentials are reloaded like the trust folder: a revoked caller stops authenticating within seconds.
  const jwtCallers = config.callerJwt
    ? new (lazy.namedCredentialJwt().NamedCredentialVerifier)(config.callerJwt, now, config.clockToleranceSeconds, {
        onReload: logTrustReload('caller trust store', config.callerJwt.trustDir),
      })
    : null;
  if (watch) jwtCallers?.watch();
  const keysFile = config.callerKeysFile
    ? new CallerKeysFile(config.callerKeysFile, {
        onReload: (snapshot) => {
          const file = config.callerKeysFile;
          app.log.info({ file, keys: snapshot.digests.length, generation: snapshot.generation }, 'caller keys loaded');
          for (const problem of snapshot.problems) {
            if (problem.line === undefined) {
              app.log.error(problem, 'caller key file unreadable: no API key is accepted');
            } else {
              app.log.warn(problem, 'caller key file line skipped');
            }
          }
          // The first load's warnings were logged with the configuration's.
          if (snapshot.generation > 1) {
            for (const warning of snapshot.warnings) {
              app.log.warn({ configuration: `PRECHAT_GUARD_CALLER_KEYS_FILE: ${warning}` }, 'weak configuration');
            }
          }
        },
      })
    : null;
  if (watch) keysFile?.watch();
  const verifier = new TokenVerifier({ config, trustStore, bindings, now });
  const metrics = createMetrics(trustStore, now);

  if (config.rateLimitPerMinute !== null) {
    await app.register(lazy.rateLimit(), {
      // Counted in the shared Redis when one is configured: a limit means the same with one instance or ten.
      ...(config.redis ? await lazy.rateLimitStore().sharedRateLimitStore(app, config.redis) : {}),
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // Used by the Amazon Connect exchange's limiter; the caller limits answer for themselves (callers/callerCheck.ts).
      errorResponseBuilder: rateLimitedError,
    });
  }
  const requireCaller = createCallerCheck({
    apiKeyDigests: () => keysFile?.digests ?? config.callerKeyDigests,
    jwtVerifier: jwtCallers,
    limits: config.rateLimitPerMinute !== null ? createCallerLimits(app, config.rateLimitPerMinute) : null,
    metrics,
  });

  const context: ServiceContext = {
    config,
    trustStore,
    bindings,
    verifier,
    metrics,
    now,
    requireCaller,
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
        done(new HttpError('invalid_json', 'The body is not valid JSON (or has forbidden keys such as __proto__).'));
      } else done(null, value);
    });
  });

  app.setErrorHandler(createErrorHandler((code) => metrics.httpErrors.inc({ code }), BODY_LIMIT_BYTES));
  app.setNotFoundHandler((_request, reply) => {
    metrics.httpErrors.inc({ code: NOT_FOUND.code });
    sendHttpError(reply, NOT_FOUND);
  });

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
    keysFile?.close();
    await bindings.close();
  });
  await app.ready();
  return app;
}
