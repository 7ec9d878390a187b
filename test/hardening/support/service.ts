// In-process service for the hardening suite: a generated trust folder, a caller key, production-mode config from
// environment variables (as an operator would set them), and `app.inject` helpers.
import { rmSync } from 'node:fs';
import { buildApp, type PrechatGuardApp } from '../../../server/src/app';
import { loadConfig } from '../../../server/src/config';
import {
  createCallerKey,
  createSigningKey,
  makeTempDir,
  writeCertificate,
  type SigningKey,
} from '../../../bench/lib/keys';
import { mintToken, type StandardClaimsInput } from '../../../bench/lib/tokens';

export const ISSUER = '00D5g000004ABCDEAA';
export const AUDIENCE = 'prechat-guard';
export const KID = 'prechat-guard-1';
export { SHARED_REDIS_URL as REDIS_URL } from '../../support/sharedRedis';

/** Every reason code the service may send (docs/architecture.md §5; `no_token` is Salesforce-side only). */
export const SERVICE_REASONS = new Set([
  'malformed',
  'unsupported_algorithm',
  'unknown_key',
  'key_expired',
  'bad_signature',
  'wrong_issuer',
  'wrong_audience',
  'missing_claim',
  'expired',
  'not_yet_valid',
  'too_old',
  'user_mismatch',
  'replayed',
  'legacy_disabled',
]);

export interface TrustFixture {
  dir: string;
  key: SigningKey;
  remove(): void;
}

export function createTrust(kid = KID): TrustFixture {
  const dir = makeTempDir('trust');
  const key = createSigningKey(kid);
  writeCertificate(dir, key);
  return { dir, key, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function productionEnv(trustDir: string, callerKey: string, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: 'production',
    PRECHAT_GUARD_TRUST_DIR: trustDir,
    PRECHAT_GUARD_ISSUER: ISSUER,
    PRECHAT_GUARD_CALLER_KEYS: callerKey,
    ...extra,
  };
}

export interface TestService {
  app: PrechatGuardApp;
  /** Waits until /readyz answers 200 (the Redis connection is made after buildApp returns). */
  ready(timeoutMs?: number): Promise<void>;
  callerKey: string;
  verify(body: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startService(
  trustDir: string,
  options: { env?: Record<string, string>; now?: () => number; watch?: boolean; callerKey?: string } = {},
): Promise<TestService> {
  // Instances that must count one caller's requests together (a shared rate limit) share its key.
  const callerKey = options.callerKey ?? createCallerKey();
  const config = loadConfig(productionEnv(trustDir, callerKey, options.env));
  const app = await buildApp({ config, now: options.now, logger: false, watchTrustStore: options.watch ?? false });
  return {
    app,
    callerKey,
    async verify(body: unknown) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/verify',
        headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.statusCode, json: response.json() as Record<string, unknown> };
    },
    async ready(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        const response = await app.inject({ method: 'GET', url: '/readyz' });
        if (response.statusCode === 200) return;
        last = response.body;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`the service did not become ready within ${timeoutMs} ms: ${last}`);
    },
    close: () => app.close(),
  };
}

/** A valid token for the key, issued at `nowSeconds`. */
export function validToken(key: SigningKey, nowSeconds: number, input: Partial<StandardClaimsInput> = {}) {
  return mintToken({
    kid: key.kid,
    privateKey: key.privateKey,
    issuer: ISSUER,
    audience: AUDIENCE,
    iat: nowSeconds,
    ...input,
  });
}
