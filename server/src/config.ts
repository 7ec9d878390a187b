// Environment → typed, validated configuration. Every error names the variable and the rule it broke (docs/architecture.md §6).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Bytes } from './sha256';

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

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** The shared Redis (binding store and rate-limit counters): exactly one topology. */
export type RedisConfig = (
  | { topology: 'single'; url: string }
  | { topology: 'cluster'; nodes: RedisEndpoint[] }
  | { topology: 'sentinel'; sentinels: RedisEndpoint[]; masterName: string }
) & {
  /** Cluster and Sentinel only: a single server takes its credentials from REDIS_URL. */
  username: string | null;
  password: string | null;
  /** PEM of the CA that signed the Redis certificates; TLS is on when set (and with rediss://). */
  tlsCa: string | null;
  /** Replicas a new binding must reach (Redis WAIT) before an answer may be `valid`. */
  minReplicas: number;
};

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
  /** PRECHAT_GUARD_CALLER_KEYS_FILE: the file the API keys come from, reloaded on change; null when they are inline. */
  callerKeysFile: string | null;
  clockToleranceSeconds: number;
  maxTokenAgeSeconds: number;
  sessionTtlSeconds: number;
  rateLimitPerMinute: number | null;
  legacy: LegacyMode;
  redis: RedisConfig | null;
  /** Upper bound of live bindings in the in-process store; when full, new bindings fail closed (503). */
  memoryMaxBindings: number;
  /** Dev mode only: where the generated development key material lives. */
  devDir: string;
  connect: ConnectConfig | null;
  /** How long SIGTERM waits for in-flight requests before it cuts them off (and exits 1). */
  shutdownGraceSeconds: number;
  /** Allowed but weak choices, logged at start-up (each names its variable). */
  warnings: string[];
}

export interface ConfigProblem {
  variable: string;
  rule: string;
}

/**
 * The configuration cannot be used. It carries every problem found, so that an operator fixes them in one round
 * instead of one restart per variable; `variable` is the first of them.
 */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly variable: string;
  readonly problems: readonly ConfigProblem[];
  constructor(variable: string, rule: string, more: readonly ConfigProblem[] = []) {
    const problems = [{ variable, rule }, ...more];
    super(
      problems.length === 1
        ? `${variable}: ${rule}`
        : `${problems.length} problems, fix them all before starting again:\n` +
            problems.map((problem) => `  - ${problem.variable}: ${problem.rule}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.variable = variable;
    this.problems = problems;
  }

  /** One error listing the problems of several (in order); the input must not be empty. */
  static combine(errors: readonly ConfigError[]): ConfigError {
    const [first, ...rest] = errors.flatMap((error) => error.problems);
    return new ConfigError(first!.variable, first!.rule, rest);
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

const SHA256_ENTRY_RULE = 'a "sha256:" entry must be followed by 64 hexadecimal characters';

/** One API key entry: the SHA-256 of a key, or the digest itself when written `sha256:<64 hex>` (null if malformed). */
function callerKeyDigest(entry: string, weak: (warning: string) => void): Buffer | null {
  if (entry.startsWith('sha256:')) {
    const hex = entry.slice('sha256:'.length);
    return /^[0-9a-fA-F]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
  }
  if (entry.length < 16) weak(`a key of ${entry.length} characters is easy to guess; use a random 32+ character key`);
  return sha256Bytes(entry);
}

export function digestCallerKeys(raw: string | undefined, variable: string, warnings: string[] = []): Buffer[] {
  return list(raw).map((entry) => {
    const digest = callerKeyDigest(entry, (warning) => warnings.push(`${variable}: ${warning}`));
    if (!digest) throw new ConfigError(variable, SHA256_ENTRY_RULE);
    return digest;
  });
}

export interface CallerKeysFileContent {
  digests: Buffer[];
  /** By line number only: a line's text may be a key, so it is never repeated in a message or a log. */
  problems: Array<{ line: number; problem: string }>;
  warnings: Array<{ line: number; warning: string }>;
}

/**
 * The PRECHAT_GUARD_CALLER_KEYS_FILE format: one API key or `sha256:<64 hex>` per line, under the same rules as
 * PRECHAT_GUARD_CALLER_KEYS; blank lines, lines starting with `#` and whitespace around an entry are ignored. No
 * commas: a line is one entry. A space inside an entry is a problem, because a Bearer credential cannot contain one
 * (it is usually a comment on the key's line, which would otherwise become part of a key nobody can send).
 */
export function parseCallerKeysFile(text: string): CallerKeysFileContent {
  const content: CallerKeysFileContent = { digests: [], problems: [], warnings: [] };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) return;
    if (/\s/.test(entry)) {
      content.problems.push({
        line,
        problem: 'an entry cannot contain a space (a Bearer credential has none); put a comment on its own # line',
      });
      return;
    }
    const digest = callerKeyDigest(entry, (warning) => content.warnings.push({ line, warning }));
    if (digest) content.digests.push(digest);
    else content.problems.push({ line, problem: SHA256_ENTRY_RULE });
  });
  return content;
}

/** Start-up check of the key file: readable, every line usable. Reloads later skip bad lines instead (and log them). */
function callerKeysFile(env: Env, warnings: string[]): { file: string; digests: Buffer[] } | null {
  const name = 'PRECHAT_GUARD_CALLER_KEYS_FILE';
  const raw = read(env, name);
  if (raw === undefined) return null;
  if (read(env, 'PRECHAT_GUARD_CALLER_KEYS') !== undefined) {
    throw new ConfigError(
      name,
      'cannot be combined with PRECHAT_GUARD_CALLER_KEYS: keep the API keys in one place and unset the other',
    );
  }
  const file = path.resolve(raw);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(name, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  const content = parseCallerKeysFile(text);
  const problem = content.problems[0];
  if (problem) throw new ConfigError(name, `line ${problem.line}: ${problem.problem}`);
  for (const { line, warning } of content.warnings) warnings.push(`${name}: line ${line}: ${warning}`);
  return { file, digests: content.digests };
}

function trustProxy(env: Env, warnings: string[]): Config['trustProxy'] {
  const raw = read(env, 'PRECHAT_GUARD_TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') {
    // Trusting every hop makes the client address the left-most X-Forwarded-For entry: the one the client writes.
    warnings.push(
      'PRECHAT_GUARD_TRUST_PROXY: true believes any X-Forwarded-For, so a client picks the address its per-address ' +
        'limits count; set the hop count (the number of proxies in front, e.g. 1) or the proxy addresses ' +
        '(e.g. 10.0.0.0/8) instead',
    );
    return true;
  }
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
  // The same attribute name twice would silently lose one of the two values in the contact token.
  const seen = new Set<string>();
  for (const { attribute } of attributes) {
    if (seen.has(attribute)) {
      throw new ConfigError(
        'PRECHAT_GUARD_CONNECT_ATTRIBUTES',
        `the attribute "${attribute}" is mapped more than once`,
      );
    }
    seen.add(attribute);
  }
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

const REDIS_TOPOLOGIES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

function endpoints(env: Env, name: string): RedisEndpoint[] {
  const entries = list(read(env, name));
  if (entries.length === 0) throw new ConfigError(name, 'must list at least one host:port');
  return entries.map((entry) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(name, `each entry must be host:port (an IPv6 address in brackets), got "${entry}"`);
    }
    return { host: match[1] ?? match[2]!, port };
  });
}

/** Names a variable that only means something together with another one. */
function requires(env: Env, name: string, rule: string): void {
  if (read(env, name) !== undefined) throw new ConfigError(name, rule);
}

function redis(env: Env, warnings: string[]): RedisConfig | null {
  const minReplicasName = 'PRECHAT_GUARD_REDIS_MIN_REPLICAS';
  const given = REDIS_TOPOLOGIES.filter((name) => read(env, name) !== undefined);
  if (given.length > 1) {
    throw new ConfigError(
      given[0]!,
      `cannot be combined with ${given.slice(1).join(' and ')}: configure exactly one Redis topology ` +
        '(REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS)',
    );
  }
  const topology = given[0];
  if (topology !== 'REDIS_SENTINELS') {
    requires(env, 'REDIS_SENTINEL_NAME', 'is only used with REDIS_SENTINELS');
  }
  if (topology === undefined) {
    const needsTopology = 'needs a Redis topology: REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS';
    for (const name of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS_CA_FILE']) requires(env, name, needsTopology);
    if (integer(env, minReplicasName, 0, 0, 16) > 0) throw new ConfigError(minReplicasName, needsTopology);
    return null;
  }
  const minReplicas = integer(env, minReplicasName, 0, 0, 16);
  const caFile = read(env, 'REDIS_TLS_CA_FILE');
  let tlsCa: string | null = null;
  if (caFile !== undefined) {
    try {
      tlsCa = readFileSync(path.resolve(caFile), 'utf8');
    } catch (error) {
      throw new ConfigError('REDIS_TLS_CA_FILE', `cannot be read: ${(error as Error).message}`);
    }
    if (!tlsCa.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError('REDIS_TLS_CA_FILE', 'must be a PEM file of one or more CA certificates');
    }
  }
  const common = { username: null, password: null, tlsCa, minReplicas };

  if (topology === 'REDIS_URL') {
    const url = read(env, 'REDIS_URL')!;
    if (!/^rediss?:\/\/[^/?#]/.test(url) || !URL.canParse(url)) {
      throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
    }
    const inUrl = 'is for REDIS_CLUSTER_NODES and REDIS_SENTINELS; put the credentials in REDIS_URL instead';
    requires(env, 'REDIS_USERNAME', `${inUrl} (rediss://user:password@host:port)`);
    requires(env, 'REDIS_PASSWORD', `${inUrl} (rediss://user:password@host:port)`);
    if (tlsCa !== null && !url.startsWith('rediss://')) {
      throw new ConfigError('REDIS_TLS_CA_FILE', 'needs TLS: use a rediss:// REDIS_URL');
    }
    return { topology: 'single', url, ...common };
  }

  const username = read(env, 'REDIS_USERNAME') ?? null;
  const password = read(env, 'REDIS_PASSWORD') ?? null;
  if (username !== null && password === null) {
    throw new ConfigError('REDIS_PASSWORD', 'is required when REDIS_USERNAME is set');
  }
  const credentials = { ...common, username, password };
  if (topology === 'REDIS_CLUSTER_NODES') {
    return { topology: 'cluster', nodes: endpoints(env, 'REDIS_CLUSTER_NODES'), ...credentials };
  }
  const masterName = read(env, 'REDIS_SENTINEL_NAME');
  if (masterName === undefined) {
    throw new ConfigError(
      'REDIS_SENTINEL_NAME',
      'is required with REDIS_SENTINELS: the name in the Sentinels\' "sentinel monitor <name> …" line',
    );
  }
  if (minReplicas === 0) {
    // Sentinel promotes a replica when the primary fails; a binding the primary had not yet passed on is then lost.
    warnings.push(
      `${minReplicasName}: 0 with REDIS_SENTINELS lets a failover lose bindings acknowledged just before it; ` +
        'set 1 so that an acknowledged binding is on a replica',
    );
  }
  return { topology: 'sentinel', sentinels: endpoints(env, 'REDIS_SENTINELS'), masterName, ...credentials };
}

/** NODE_ENV values the service accepts; anything else is refused rather than guessed at (`prod` is not dev mode). */
export const NODE_ENV_VALUES = ['production', 'development'] as const;

/**
 * Which mode the environment asks for. Dev mode is explicit: NODE_ENV unset or exactly "development", and no trust
 * dir. NODE_ENV=production or a trust dir means production; any other NODE_ENV value is a problem (null), because a
 * typo such as `prod` or `Production` must not start a service that mints tokens with a published development key.
 */
function modeOf(env: Env): Config['mode'] | null {
  const nodeEnv = read(env, 'NODE_ENV');
  if (nodeEnv !== undefined && !(NODE_ENV_VALUES as readonly string[]).includes(nodeEnv)) return null;
  return read(env, 'PRECHAT_GUARD_TRUST_DIR') === undefined && nodeEnv !== 'production' ? 'dev' : 'production';
}

/**
 * Reads the configuration. Dev mode = no trust dir and NODE_ENV unset or "development": the caller supplies generated
 * dev material afterwards (see dev/devMaterial.ts); production mode refuses to start without trust dir, issuer and a
 * caller credential. Every problem is collected and thrown together as one ConfigError.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: ConfigError[] = [];
  /** Runs one independent part of the configuration; a problem is noted and `fallback` stands in for the value. */
  function check<T>(part: () => T, fallback: T): T {
    try {
      return part();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
      return fallback;
    }
  }

  const trustDirRaw = read(env, 'PRECHAT_GUARD_TRUST_DIR');
  const modeOrNull = modeOf(env);
  if (modeOrNull === null) {
    problems.push(
      new ConfigError(
        'NODE_ENV',
        `must be "production", "development" or unset (development, unless PRECHAT_GUARD_TRUST_DIR is set), ` +
          `got "${read(env, 'NODE_ENV')}"`,
      ),
    );
  }
  const mode: Config['mode'] = modeOrNull ?? 'production';

  const port = check(() => integer(env, 'PORT', 8787, 0, 65535), 0);
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const legacyRaw = read(env, 'PRECHAT_GUARD_LEGACY') ?? 'reject';
  if (legacyRaw !== 'accept' && legacyRaw !== 'reject') {
    problems.push(new ConfigError('PRECHAT_GUARD_LEGACY', `must be "accept" or "reject", got "${legacyRaw}"`));
  }
  const rateLimit = read(env, 'PRECHAT_GUARD_RATE_LIMIT_PER_MIN');
  const warnings: string[] = [];
  const redisConfig = check(() => redis(env, warnings), null);
  const keyProblemsBefore = problems.length;
  const keysFile = check(() => callerKeysFile(env, warnings), null);
  const callerKeyDigests =
    keysFile?.digests ??
    check(() => digestCallerKeys(read(env, 'PRECHAT_GUARD_CALLER_KEYS'), 'PRECHAT_GUARD_CALLER_KEYS', warnings), []);
  const jwtCallers = check(() => callerJwt(env), null);
  // A caller credential that was given but refused has its own problem; "none given" would only add noise.
  const callerCredentialRefused = problems.length > keyProblemsBefore;
  const clockToleranceSeconds = check(() => integer(env, 'PRECHAT_GUARD_CLOCK_TOLERANCE_S', 30, 0, 300), 30);
  const maxTokenAgeSeconds = check(() => integer(env, 'PRECHAT_GUARD_MAX_TOKEN_AGE_S', 600, 1, 86400), 600);

  let issuer = read(env, 'PRECHAT_GUARD_ISSUER');
  // With an unknown NODE_ENV the intended mode is unknown too: only that problem is reported, not the production rules.
  if (modeOrNull === 'production') {
    if (trustDirRaw === undefined) {
      problems.push(
        new ConfigError('PRECHAT_GUARD_TRUST_DIR', 'is required in production mode (a folder of <kid>.crt files)'),
      );
    }
    if (issuer === undefined) {
      problems.push(
        new ConfigError('PRECHAT_GUARD_ISSUER', 'is required in production mode (usually your 18-character org id)'),
      );
    }
    if (callerKeyDigests.length === 0 && jwtCallers === null && !callerCredentialRefused) {
      problems.push(
        keysFile
          ? new ConfigError(
              'PRECHAT_GUARD_CALLER_KEYS_FILE',
              `${keysFile.file} holds no key, and a caller credential is required in production mode (add a key, ` +
                'or set PRECHAT_GUARD_CALLER_JWT_*)',
            )
          : new ConfigError(
              'PRECHAT_GUARD_CALLER_KEYS',
              'a caller credential is required in production mode: set PRECHAT_GUARD_CALLER_KEYS or ' +
                'PRECHAT_GUARD_CALLER_JWT_*',
            ),
      );
    }
  }
  issuer ??= 'prechat-guard-dev';
  const sessionTtlSeconds = check(() => integer(env, 'PRECHAT_GUARD_SESSION_TTL_S', 14400, 1, 7 * 86400), 14400);
  const connectConfig = check(() => connect(env), null);
  // A binding should outlive every moment at which its token could still start a chat; otherwise, once the binding
  // lapses, the same token could be bound again to another session. The Amazon Connect exchange depends on it
  // (a consumed token must stay consumed), so there it is a rule; elsewhere a warning about the operator's choice.
  const acceptedForSeconds = Math.min(maxTokenAgeSeconds, 3600) + 2 * clockToleranceSeconds;
  if (sessionTtlSeconds < acceptedForSeconds) {
    const why =
      `at least ${acceptedForSeconds} s (PRECHAT_GUARD_MAX_TOKEN_AGE_S, at most 3600, plus twice ` +
      'PRECHAT_GUARD_CLOCK_TOLERANCE_S), so that a token cannot be bound again after its binding ends';
    if (connectConfig) {
      problems.push(
        new ConfigError('PRECHAT_GUARD_SESSION_TTL_S', `must be ${why} when the Amazon Connect exchange is on`),
      );
    } else {
      warnings.push(`PRECHAT_GUARD_SESSION_TTL_S: ${sessionTtlSeconds} s is short; it should be ${why}`);
    }
  }
  const devDir = path.resolve(read(env, 'PRECHAT_GUARD_DEV_DIR') ?? '.prechat-guard/dev');

  const config: Config = {
    mode,
    port,
    host,
    trustProxy: check(() => trustProxy(env, warnings), false),
    trustDir: trustDirRaw !== undefined ? path.resolve(trustDirRaw) : path.join(devDir, 'trust'),
    issuer,
    audience: read(env, 'PRECHAT_GUARD_AUDIENCE') ?? 'prechat-guard',
    algorithms: check(() => algorithms(env), ['RS256']),
    callerKeyDigests,
    callerJwt: jwtCallers,
    callerKeysFile: keysFile?.file ?? null,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    sessionTtlSeconds,
    rateLimitPerMinute:
      rateLimit === undefined
        ? null
        : check(() => integer(env, 'PRECHAT_GUARD_RATE_LIMIT_PER_MIN', 0, 1, 1_000_000), null),
    legacy: legacyRaw === 'accept' ? 'accept' : 'reject',
    redis: redisConfig,
    memoryMaxBindings: check(() => integer(env, 'PRECHAT_GUARD_MEMORY_MAX_BINDINGS', 2_000_000, 1, 50_000_000), 1),
    devDir,
    connect: connectConfig,
    shutdownGraceSeconds: check(() => integer(env, 'PRECHAT_GUARD_SHUTDOWN_GRACE_S', 10, 1, 300), 10),
    warnings,
  };
  if (problems.length > 0) throw ConfigError.combine(problems);
  return config;
}
