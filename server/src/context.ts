// What the routes share: configuration, stores, the verifier, metrics and the caller check.
import type { CallerCheck } from './callers/callerCheck';
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
  /**
   * The caller check (and the per-caller rate limit when configured), as an onRequest hook: it runs before the body
   * is read, so a request without a valid credential is refused whatever it carries.
   */
  requireCaller: CallerCheck;
  dev: DevMaterial | null;
}
