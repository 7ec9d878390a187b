// Prometheus metrics: verification outcomes by reason, latency, key expiry, binding-store failures. Every name is
// documented in docs/operations.md, and the dashboard and alert rules under ops/ are tested against this registry.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TrustStore } from './keys/trustStore';

export interface Metrics {
  registry: Registry;
  verifications: Counter<'outcome' | 'reason'>;
  verifyDuration: Histogram<'outcome'>;
  storeErrors: Counter;
  httpErrors: Counter<'code'>;
  /** Counts one answer of POST /v1/verify and its duration; `reason` is null for a valid token. */
  recordVerification(reason: string | null, seconds: number): void;
}

export function createMetrics(trustStore: TrustStore, now: () => number): Metrics {
  const registry = new Registry();
  // Node.js and process metrics under their conventional names (process_cpu_user_seconds_total, nodejs_heap_*):
  // prom-client's names already start with process_ / nodejs_, and standard Node.js dashboards query exactly those.
  // Tell instances apart by the scrape's job and instance labels, not by a name prefix.
  collectDefaultMetrics({ register: registry });
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
    help: 'Requests refused with an HTTP error instead of a verification answer, by error code.',
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
    name: 'prechat_guard_key_not_after_timestamp_seconds',
    help: 'End of the validity period of each trusted certificate (Unix time, seconds).',
    labelNames: ['kid'],
    registers: [registry],
    collect() {
      // Exact where the days gauge is rounded down: alerts and dashboards can compute "time left" to the second.
      this.reset();
      for (const key of trustStore.snapshot.keys.values()) {
        this.set({ kid: key.kid }, Math.floor(key.notAfter.getTime() / 1000));
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
  new Gauge({
    name: 'prechat_guard_valid_keys',
    help: 'Trusted certificates inside their validity period; 0 means /readyz answers 503 and no token can verify.',
    registers: [registry],
    collect() {
      this.set(trustStore.validKeys(now()).length);
    },
  });
  // Children bound to their labels once (on first use, so no series appears before its first sample): a verification
  // then allocates no label object.
  const countByReason = new Map<string, { inc(): void }>();
  const durationByOutcome: Partial<Record<'valid' | 'invalid', { observe(seconds: number): void }>> = {};
  const recordVerification = (reason: string | null, seconds: number) => {
    const outcome = reason === null ? 'valid' : 'invalid';
    const reasonLabel = reason ?? 'ok';
    let count = countByReason.get(reasonLabel);
    if (count === undefined) {
      count = verifications.labels({ outcome, reason: reasonLabel });
      countByReason.set(reasonLabel, count);
    }
    count.inc();
    (durationByOutcome[outcome] ??= verifyDuration.labels({ outcome })).observe(seconds);
  };
  return { registry, verifications, verifyDuration, storeErrors, httpErrors, recordVerification };
}
