// What the routes share: configuration, stores, the verifier, metrics and the caller check.
import type { preHandlerHookHandler } from 'fastify';
import type { Config } from './config';
import type { BindingStore } from './bindings/store';
import type { TrustStore } from './keys/trustStore';
import type { Metrics } from './metrics';
import type { TokenVerifier } from './tokens/verifier';
import type { DevMaterial } from './dev/devMaterial';

export interface ServiceContext {
  config: Config;
  trustStore: TrustStore;
  bindings: BindingStore;
  verifier: TokenVerifier;
  metrics: Metrics;
  now: () => number;
  requireCaller: preHandlerHookHandler;
  /** Spread into a route's options to put it under the per-caller rate limit (empty when none is configured). */
  limitedRoute: { config?: { rateLimit: object } };
  dev: DevMaterial | null;
}
