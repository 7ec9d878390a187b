// Environment → typed, validated configuration. Every error names the variable and the rule it broke (ARCHITECTURE §6).
import { createHash } from 'node:crypto';
import path from 'node:path';

export type Algorithm = 'RS256' | 'RS512';
export type LegacyMode = 'accept' | 'reject';

export interface CallerJwtConfig {
  trustDir: string;
  issuer: string;
  audience: string;
}

export interface ConnectConfig {
  widgetId: string;
  securityKeys: string[];
  ttlSeconds: number;
  attributes: Array<{ attribute: string; claim: string }>;
  origins: string[];
}

export interface Config {
  mode: 'dev' | 'production';
  port: number;
  host: string;
  /** Fastify trustProxy: false, true, a hop count, or a list of proxy addresses/CIDRs (client address for limits). */
  trustProxy: boolean | number | string[];
  /** Folder of `<kid>.crt|.pem` certificates. In dev mode, the generated dev trust folder. */
  trustDir: string;
  issuer: string;
  audience: string;
  algorithms: Algorithm[];
  /** API keys as SHA-256 digests (hex); plain keys are hashed at load so they are never held in the clear. */
  callerKeyDigests: Buffer[];
  callerJwt: CallerJwtConfig | null;
  clockToleranceSeconds: number;
  maxTokenAgeSeconds: number;
  sessionTtlSeconds: number;
  rateLimitPerMinute: number | null;
  legacy: LegacyMode;
  redisUrl: string | null;
  /** Upper bound of live bindings in the in-process store; when full, new bindings fail closed (503). */
  memoryMaxBindings: number;
  /** Dev mode only: where the generated development key material lives. */
  devDir: string;
  connect: ConnectConfig | null;
  /** Allowed but weak choices, logged at start-up (each names its variable). */
  warnings: string[];
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Unset and empty both mean "not given": an empty variable is a common shell accident, not a value. */
function read(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be from ${min} to ${max}, got ${value}`);
  return value;
}

function list(raw: string | undefined): string[] {
  return raw === undefined
    ? []
    : raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
}

export function digestCallerKeys(raw: string | undefined, variable: string, warnings: string[] = []): Buffer[] {
  return list(raw).map((entry) => {
    if (entry.startsWith('sha256:')) {
      const hex = entry.slice('sha256:'.length);
      if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
        throw new ConfigError(variable, 'a "sha256:" entry must be followed by 64 hexadecimal characters');
      }
      return Buffer.from(hex, 'hex');
    }
    if (entry.length < 16) {
      warnings.push(
        `${variable}: a key of ${entry.length} characters is easy to guess; use a random 32+ character key`,
      );
    }
    return sha256(entry);
  });
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function trustProxy(env: Env): Config['trustProxy'] {
  const raw = read(env, 'PRECHAT_GUARD_TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = list(raw);
  for (const entry of entries) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry)) {
      throw new ConfigError(
        'PRECHAT_GUARD_TRUST_PROXY',
        `must be true, false, a hop count, or proxy addresses/CIDRs (e.g. 10.0.0.0/8), got "${entry}"`,
      );
    }
  }
  return entries;
}

function algorithms(env: Env): Algorithm[] {
  const name = 'PRECHAT_GUARD_ALGORITHMS';
  const values = list(read(env, name) ?? 'RS256');
  if (values.length === 0) throw new ConfigError(name, 'must name RS256 and/or RS512');
  for (const value of values) {
    if (value !== 'RS256' && value !== 'RS512') {
      throw new ConfigError(name, `must be RS256 and/or RS512 (case-sensitive), got "${value}"`);
    }
  }
  return [...new Set(values as Algorithm[])];
}

function callerJwt(env: Env): CallerJwtConfig | null {
  const names = [
    'PRECHAT_GUARD_CALLER_JWT_TRUST_DIR',
    'PRECHAT_GUARD_CALLER_JWT_ISSUER',
    'PRECHAT_GUARD_CALLER_JWT_AUDIENCE',
  ] as const;
  const [trustDir, issuer, audience] = names.map((name) => read(env, name));
  if (trustDir === undefined && issuer === undefined && audience === undefined) return null;
  names.forEach((name, index) => {
    if ([trustDir, issuer, audience][index] === undefined) {
      throw new ConfigError(name, 'is required when any PRECHAT_GUARD_CALLER_JWT_* variable is set');
    }
  });
  return { trustDir: path.resolve(trustDir!), issuer: issuer!, audience: audience! };
}

function connect(env: Env): ConnectConfig | null {
  const widgetId = read(env, 'PRECHAT_GUARD_CONNECT_WIDGET_ID');
  const keysRaw = read(env, 'PRECHAT_GUARD_CONNECT_SECURITY_KEYS');
  if (widgetId === undefined && keysRaw === undefined) return null;
  if (widgetId === undefined) {
    throw new ConfigError(
      'PRECHAT_GUARD_CONNECT_WIDGET_ID',
      'is required when PRECHAT_GUARD_CONNECT_SECURITY_KEYS is set',
    );
  }
  if (keysRaw === undefined) {
    throw new ConfigError(
      'PRECHAT_GUARD_CONNECT_SECURITY_KEYS',
      'is required when PRECHAT_GUARD_CONNECT_WIDGET_ID is set',
    );
  }
  const securityKeys = list(keysRaw);
  if (securityKeys.length === 0 || securityKeys.some((key) => key.length < 32)) {
    throw new ConfigError('PRECHAT_GUARD_CONNECT_SECURITY_KEYS', 'each security key must be at least 32 characters');
  }
  const attributesRaw = read(env, 'PRECHAT_GUARD_CONNECT_ATTRIBUTES') ?? 'userId=sub';
  const attributes = list(attributesRaw).map((pair) => {
    const match = /^([A-Za-z0-9_.-]{1,128})=([A-Za-z0-9_]{1,64})$/.exec(pair);
    if (!match) {
      throw new ConfigError(
        'PRECHAT_GUARD_CONNECT_ATTRIBUTES',
        `each entry must be attributeName=claimName (letters, digits, _ . -), got "${pair}"`,
      );
    }
    return { attribute: match[1]!, claim: match[2]! };
  });
  const origins = list(read(env, 'PRECHAT_GUARD_CONNECT_ORIGINS'));
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError('PRECHAT_GUARD_CONNECT_ORIGINS', `"${origin}" is not an origin like https://example.com`);
    }
    if (parsed.origin !== origin) {
      throw new ConfigError('PRECHAT_GUARD_CONNECT_ORIGINS', `"${origin}" must be a bare origin like ${parsed.origin}`);
    }
  }
  return {
    widgetId,
    securityKeys,
    ttlSeconds: integer(env, 'PRECHAT_GUARD_CONNECT_TTL_S', 500, 1, 600),
    attributes,
    origins,
  };
}

/**
 * Reads the configuration. Dev mode = no trust dir and NODE_ENV not "production": the caller supplies generated dev
 * material afterwards (see dev/devMaterial.ts); production mode refuses to start without trust dir, issuer and a caller
 * credential.
 */
export function loadConfig(env: Env = process.env): Config {
  const trustDirRaw = read(env, 'PRECHAT_GUARD_TRUST_DIR');
  const production = read(env, 'NODE_ENV') === 'production';
  const mode: Config['mode'] = trustDirRaw === undefined && !production ? 'dev' : 'production';

  const port = integer(env, 'PORT', 8787, 0, 65535);
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const legacyRaw = read(env, 'PRECHAT_GUARD_LEGACY') ?? 'reject';
  if (legacyRaw !== 'accept' && legacyRaw !== 'reject') {
    throw new ConfigError('PRECHAT_GUARD_LEGACY', `must be "accept" or "reject", got "${legacyRaw}"`);
  }
  const redisUrl = read(env, 'REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  }
  const rateLimit = read(env, 'PRECHAT_GUARD_RATE_LIMIT_PER_MIN');
  const warnings: string[] = [];
  const callerKeyDigests = digestCallerKeys(
    read(env, 'PRECHAT_GUARD_CALLER_KEYS'),
    'PRECHAT_GUARD_CALLER_KEYS',
    warnings,
  );
  const jwtCallers = callerJwt(env);
  const clockToleranceSeconds = integer(env, 'PRECHAT_GUARD_CLOCK_TOLERANCE_S', 30, 0, 300);
  const maxTokenAgeSeconds = integer(env, 'PRECHAT_GUARD_MAX_TOKEN_AGE_S', 600, 1, 86400);

  let issuer = read(env, 'PRECHAT_GUARD_ISSUER');
  if (mode === 'production') {
    if (trustDirRaw === undefined) {
      throw new ConfigError('PRECHAT_GUARD_TRUST_DIR', 'is required in production mode (a folder of <kid>.crt files)');
    }
    if (issuer === undefined) {
      throw new ConfigError(
        'PRECHAT_GUARD_ISSUER',
        'is required in production mode (usually your 18-character org id)',
      );
    }
    if (callerKeyDigests.length === 0 && jwtCallers === null) {
      throw new ConfigError(
        'PRECHAT_GUARD_CALLER_KEYS',
        'a caller credential is required in production mode: set PRECHAT_GUARD_CALLER_KEYS or PRECHAT_GUARD_CALLER_JWT_*',
      );
    }
  }
  issuer ??= 'prechat-guard-dev';
  const sessionTtlSeconds = integer(env, 'PRECHAT_GUARD_SESSION_TTL_S', 14400, 1, 7 * 86400);
  const connectConfig = connect(env);
  // A binding should outlive every moment at which its token could still start a chat; otherwise, once the binding
  // lapses, the same token could be bound again to another session. The Amazon Connect exchange depends on it
  // (a consumed token must stay consumed), so there it is a rule; elsewhere a warning about the operator's choice.
  const acceptedForSeconds = Math.min(maxTokenAgeSeconds, 3600) + 2 * clockToleranceSeconds;
  if (sessionTtlSeconds < acceptedForSeconds) {
    const why =
      `at least ${acceptedForSeconds} s (PRECHAT_GUARD_MAX_TOKEN_AGE_S, at most 3600, plus twice ` +
      'PRECHAT_GUARD_CLOCK_TOLERANCE_S), so that a token cannot be bound again after its binding ends';
    if (connectConfig) {
      throw new ConfigError('PRECHAT_GUARD_SESSION_TTL_S', `must be ${why} when the Amazon Connect exchange is on`);
    }
    warnings.push(`PRECHAT_GUARD_SESSION_TTL_S: ${sessionTtlSeconds} s is short; it should be ${why}`);
  }
  const devDir = path.resolve(read(env, 'PRECHAT_GUARD_DEV_DIR') ?? '.prechat-guard/dev');

  return {
    mode,
    port,
    host,
    trustProxy: trustProxy(env),
    trustDir: trustDirRaw !== undefined ? path.resolve(trustDirRaw) : path.join(devDir, 'trust'),
    issuer,
    audience: read(env, 'PRECHAT_GUARD_AUDIENCE') ?? 'prechat-guard',
    algorithms: algorithms(env),
    callerKeyDigests,
    callerJwt: jwtCallers,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    sessionTtlSeconds,
    rateLimitPerMinute:
      rateLimit === undefined ? null : integer(env, 'PRECHAT_GUARD_RATE_LIMIT_PER_MIN', 0, 1, 1_000_000),
    legacy: legacyRaw,
    redisUrl,
    memoryMaxBindings: integer(env, 'PRECHAT_GUARD_MEMORY_MAX_BINDINGS', 2_000_000, 1, 50_000_000),
    devDir,
    connect: connectConfig,
    warnings,
  };
}
