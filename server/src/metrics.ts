// Prometheus metrics: verification outcomes by reason, latency, key expiry, binding-store failures.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TrustStore } from './keys/trustStore';

export interface Metrics {
  registry: Registry;
  verifications: Counter<'outcome' | 'reason'>;
  verifyDuration: Histogram<'outcome'>;
  storeErrors: Counter;
  httpErrors: Counter<'code'>;
}

export function createMetrics(trustStore: TrustStore, now: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'prechat_guard_process_' });
  const verifications = new Counter({
    name: 'prechat_guard_verifications_total',
    help: 'Verification outcomes: outcome="valid" or "invalid", reason = the reason code (or "ok").',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const verifyDuration = new Histogram({
    name: 'prechat_guard_verify_duration_seconds',
    help: 'Time to answer POST /v1/verify, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'prechat_guard_binding_store_errors_total',
    help: 'Requests answered 503 because the binding store did not answer.',
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'prechat_guard_http_errors_total',
    help: 'Requests refused before verification, by error code (400, 401, 413, 429 answers).',
    labelNames: ['code'],
    registers: [registry],
  });
  new Gauge({
    name: 'prechat_guard_key_expiry_days',
    help: 'Days until each trusted certificate expires (negative: expired).',
    labelNames: ['kid'],
    registers: [registry],
    collect() {
      this.reset();
      for (const key of trustStore.snapshot.keys.values()) {
        this.set({ kid: key.kid }, Math.floor((key.notAfter.getTime() - now()) / 86_400_000));
      }
    },
  });
  new Gauge({
    name: 'prechat_guard_trusted_keys',
    help: 'Number of certificates loaded from the trust store.',
    registers: [registry],
    collect() {
      this.set(trustStore.snapshot.keys.size);
    },
  });
  return { registry, verifications, verifyDuration, storeErrors, httpErrors };
}
