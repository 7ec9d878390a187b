import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../../server/src/app';
import { ConfigError, loadConfig } from '../../server/src/config';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

const production = {
  NODE_ENV: 'production',
  PRECHAT_GUARD_TRUST_DIR: '/etc/prechat-guard/trust',
  PRECHAT_GUARD_ISSUER: '00D000000000001AAA',
  PRECHAT_GUARD_CALLER_KEYS: 'a-caller-key-that-is-long-enough',
};

describe('configuration', () => {
  it('runs in dev mode with the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'dev',
      port: 8787,
      host: '127.0.0.1',
      issuer: 'prechat-guard-dev',
      audience: 'prechat-guard',
      algorithms: ['RS256'],
      clockToleranceSeconds: 30,
      maxTokenAgeSeconds: 600,
      sessionTtlSeconds: 14400,
      rateLimitPerMinute: null,
      legacy: 'reject',
      redis: null,
      callerJwt: null,
      connect: null,
    });
  });

  it('runs in production mode when a trust dir is given, even without NODE_ENV', () => {
    const { NODE_ENV: _ignored, ...env } = production;
    expect(loadConfig(env).mode).toBe('production');
  });

  it.each([
    ['PRECHAT_GUARD_TRUST_DIR', { NODE_ENV: 'production' }],
    ['PRECHAT_GUARD_ISSUER', { NODE_ENV: 'production', PRECHAT_GUARD_TRUST_DIR: '/t' }],
    ['PRECHAT_GUARD_CALLER_KEYS', { NODE_ENV: 'production', PRECHAT_GUARD_TRUST_DIR: '/t', PRECHAT_GUARD_ISSUER: 'x' }],
  ])('production mode refuses to start without %s and names it', (variable, env) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(variable);
  });

  it('accepts Named Credential JWT callers instead of API keys', () => {
    const config = loadConfig({
      ...production,
      PRECHAT_GUARD_CALLER_KEYS: '',
      PRECHAT_GUARD_CALLER_JWT_TRUST_DIR: '/c',
      PRECHAT_GUARD_CALLER_JWT_ISSUER: 'sf',
      PRECHAT_GUARD_CALLER_JWT_AUDIENCE: 'pg',
    });
    expect(config.callerJwt).toEqual({ trustDir: '/c', issuer: 'sf', audience: 'pg' });
    expect(config.callerKeyDigests).toEqual([]);
  });

  it.each([
    ['PORT', { PORT: '80a' }],
    ['PORT', { PORT: '70000' }],
    ['PRECHAT_GUARD_ALGORITHMS', { PRECHAT_GUARD_ALGORITHMS: 'HS256' }],
    ['PRECHAT_GUARD_ALGORITHMS', { PRECHAT_GUARD_ALGORITHMS: 'rs256' }],
    ['PRECHAT_GUARD_ALGORITHMS', { PRECHAT_GUARD_ALGORITHMS: 'none' }],
    ['PRECHAT_GUARD_LEGACY', { PRECHAT_GUARD_LEGACY: 'yes' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['PRECHAT_GUARD_CLOCK_TOLERANCE_S', { PRECHAT_GUARD_CLOCK_TOLERANCE_S: '-1' }],
    ['PRECHAT_GUARD_MAX_TOKEN_AGE_S', { PRECHAT_GUARD_MAX_TOKEN_AGE_S: '0' }],
    ['PRECHAT_GUARD_SESSION_TTL_S', { PRECHAT_GUARD_SESSION_TTL_S: '1.5' }],
    ['PRECHAT_GUARD_RATE_LIMIT_PER_MIN', { PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '0' }],
    ['PRECHAT_GUARD_CALLER_KEYS', { PRECHAT_GUARD_CALLER_KEYS: 'sha256:abc' }],
    [
      'PRECHAT_GUARD_CALLER_JWT_AUDIENCE',
      { PRECHAT_GUARD_CALLER_JWT_TRUST_DIR: '/c', PRECHAT_GUARD_CALLER_JWT_ISSUER: 'x' },
    ],
    ['PRECHAT_GUARD_CONNECT_SECURITY_KEYS', { PRECHAT_GUARD_CONNECT_WIDGET_ID: 'w' }],
    ['PRECHAT_GUARD_CONNECT_WIDGET_ID', { PRECHAT_GUARD_CONNECT_SECURITY_KEYS: 'k'.repeat(32) }],
  ])('names %s when its value breaks the rule', (variable, env) => {
    expect(configError({ ...production, ...env }).variable).toBe(variable);
  });

  it('reads RS256 and RS512, comma-separated, and legacy accept', () => {
    const config = loadConfig({
      ...production,
      PRECHAT_GUARD_ALGORITHMS: 'RS256, RS512',
      PRECHAT_GUARD_LEGACY: 'accept',
    });
    expect(config.algorithms).toEqual(['RS256', 'RS512']);
    expect(config.legacy).toBe('accept');
  });

  it('keeps API keys only as SHA-256 digests', () => {
    const config = loadConfig(production);
    expect(config.callerKeyDigests).toHaveLength(1);
    expect(JSON.stringify(config)).not.toContain('a-caller-key-that-is-long-enough');
  });
});

describe('Amazon Connect attribute mapping', () => {
  const connect = {
    ...production,
    PRECHAT_GUARD_CONNECT_WIDGET_ID: 'widget',
    PRECHAT_GUARD_CONNECT_SECURITY_KEYS: 'k'.repeat(32),
    PRECHAT_GUARD_SESSION_TTL_S: '3600',
  };

  it('accepts distinct attribute names, even when two read the same claim', () => {
    const config = loadConfig({ ...connect, PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,sfUserId=sub' });
    expect(config.connect?.attributes).toEqual([
      { attribute: 'userId', claim: 'sub' },
      { attribute: 'sfUserId', claim: 'sub' },
    ]);
  });

  it('refuses an attribute mapped twice, naming the variable', () => {
    const error = configError({ ...connect, PRECHAT_GUARD_CONNECT_ATTRIBUTES: 'userId=sub,userId=contact_id' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe('PRECHAT_GUARD_CONNECT_ATTRIBUTES');
    expect(error.message).toMatch(/PRECHAT_GUARD_CONNECT_ATTRIBUTES: the attribute "userId" is mapped more than once$/);
  });
});

describe('start-up problems, all at once', () => {
  it('names every missing production variable in one error instead of one per restart', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.code).toBe('config_invalid');
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'PRECHAT_GUARD_TRUST_DIR',
      'PRECHAT_GUARD_ISSUER',
      'PRECHAT_GUARD_CALLER_KEYS',
    ]);
    for (const { variable, rule } of error.problems) expect(error.message).toContain(`${variable}: ${rule}`);
  });

  it('lists invalid values beside missing ones, each with its rule', () => {
    const error = configError({
      NODE_ENV: 'production',
      PRECHAT_GUARD_TRUST_DIR: '/t',
      PORT: '80a',
      PRECHAT_GUARD_ALGORITHMS: 'HS256',
      PRECHAT_GUARD_LEGACY: 'yes',
    });
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'PORT',
      'PRECHAT_GUARD_LEGACY',
      'PRECHAT_GUARD_ISSUER',
      'PRECHAT_GUARD_CALLER_KEYS',
      'PRECHAT_GUARD_ALGORITHMS',
    ]);
    expect(error.message).toMatch(/^5 problems/);
    expect(error.message).toContain('PORT: must be a whole number');
  });

  it('does not add "no caller credential" when the credential given was refused for its own reason', () => {
    const error = configError({ ...production, PRECHAT_GUARD_CALLER_KEYS: 'sha256:abc' });
    expect(error.problems.map((problem) => problem.variable)).toEqual(['PRECHAT_GUARD_CALLER_KEYS']);
  });
});

describe('NODE_ENV: dev mode is explicit', () => {
  it.each([[{}], [{ NODE_ENV: 'development' }], [{ NODE_ENV: '' }]])(
    'runs in dev mode with %j and no trust dir (npm ci && npm start)',
    (env) => {
      expect(loadConfig(env).mode).toBe('dev');
    },
  );

  it('runs in production mode with NODE_ENV=production', () => {
    expect(loadConfig(production).mode).toBe('production');
    expect(configError({ NODE_ENV: 'production' }).variable).toBe('PRECHAT_GUARD_TRUST_DIR');
  });

  it.each(['prod', 'Production', 'PRODUCTION', 'staging', 'test', 'dev'])(
    'refuses NODE_ENV=%s, naming NODE_ENV and the accepted values, instead of falling into dev mode',
    (value) => {
      const error = configError({ NODE_ENV: value });
      expect(error.variable).toBe('NODE_ENV');
      expect(error.message).toContain(`"${value}"`);
      expect(error.message).toMatch(/"production", "development" or unset/);
    },
  );

  it('refuses an unknown NODE_ENV even with a complete production configuration', () => {
    expect(configError({ ...production, NODE_ENV: 'prod' }).problems).toEqual([
      expect.objectContaining({ variable: 'NODE_ENV' }),
    ]);
  });
});

describe('caller keys from a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'prechat-guard-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const keysFile = (text: string) => {
    const file = path.join(dir, 'caller-keys');
    writeFileSync(file, text);
    return file;
  };
  const { PRECHAT_GUARD_CALLER_KEYS: _inline, ...withoutKeys } = production;

  it('reads one key or sha256:<hex> digest per line, skipping blank lines and # comments', () => {
    const digest = createHash('sha256').update('digest-configured-key-01').digest('hex');
    const file = keysFile(
      `# the bot's key, rotated 2026-11\n\n  first-caller-key-0123456789abcdef  \r\nsha256:${digest}\n`,
    );
    const config = loadConfig({ ...withoutKeys, PRECHAT_GUARD_CALLER_KEYS_FILE: file });
    expect(config.callerKeysFile).toBe(file);
    expect(config.callerKeyDigests.map((d) => d.toString('hex'))).toEqual([
      createHash('sha256').update('first-caller-key-0123456789abcdef').digest('hex'),
      digest,
    ]);
    expect(config.warnings).toEqual([]);
  });

  it('refuses the variable and the file together, naming both', () => {
    const error = configError({
      ...production,
      PRECHAT_GUARD_CALLER_KEYS_FILE: keysFile('a-caller-key-long-enough-0123'),
    });
    expect(error.variable).toBe('PRECHAT_GUARD_CALLER_KEYS_FILE');
    expect(error.message).toContain('PRECHAT_GUARD_CALLER_KEYS_FILE');
    expect(error.message).toMatch(/PRECHAT_GUARD_CALLER_KEYS\b(?!_)/);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'nope'), /cannot read/],
    ['a bad digest, by line number', () => keysFile('# c\nsha256:abc\n'), /line 2: .*64 hexadecimal/],
    [
      'a key with a space (a trailing comment)',
      () => keysFile('a-caller-key-long-enough-0123 # bot\n'),
      /line 1: .*space/,
    ],
    ['no key at all in production mode', () => keysFile('# nothing yet\n'), /no key/],
  ])('refuses %s at start-up, naming the variable and never the key', (_name, file, rule) => {
    const error = configError({ ...withoutKeys, PRECHAT_GUARD_CALLER_KEYS_FILE: file() });
    expect(error.variable).toBe('PRECHAT_GUARD_CALLER_KEYS_FILE');
    expect(error.message).toMatch(rule);
    expect(error.message).not.toContain('a-caller-key-long-enough');
  });

  it('warns about a short key by line number, never printing it', () => {
    const config = loadConfig({ ...withoutKeys, PRECHAT_GUARD_CALLER_KEYS_FILE: keysFile('# c\nshort-key\n') });
    expect(config.warnings).toEqual([
      expect.stringMatching(/^PRECHAT_GUARD_CALLER_KEYS_FILE: line 2: a key of 9 characters/),
    ]);
    expect(config.warnings.join()).not.toContain('short-key');
  });
});

describe('graceful shutdown', () => {
  it('reads the grace period for in-flight requests, 10 s by default', () => {
    expect(loadConfig(production).shutdownGraceSeconds).toBe(10);
    expect(loadConfig({ ...production, PRECHAT_GUARD_SHUTDOWN_GRACE_S: '25' }).shutdownGraceSeconds).toBe(25);
    for (const bad of ['0', '301', '2.5'])
      expect(configError({ ...production, PRECHAT_GUARD_SHUTDOWN_GRACE_S: bad }).variable).toBe(
        'PRECHAT_GUARD_SHUTDOWN_GRACE_S',
      );
  });
});

describe('binding lifetime', () => {
  it('warns about a session TTL shorter than the time a token can still start a chat, naming the variable', () => {
    const short = loadConfig({ ...production, PRECHAT_GUARD_SESSION_TTL_S: '600' });
    expect(short.sessionTtlSeconds).toBe(600);
    expect(short.warnings).toEqual([expect.stringMatching(/^PRECHAT_GUARD_SESSION_TTL_S: .*at least 660 s/)]);
    expect(loadConfig({ ...production, PRECHAT_GUARD_SESSION_TTL_S: '660' }).warnings).toEqual([]);
  });

  it('refuses that short TTL when the Amazon Connect exchange is on (a consumed token must stay consumed)', () => {
    const error = configError({
      ...production,
      PRECHAT_GUARD_SESSION_TTL_S: '600',
      PRECHAT_GUARD_CONNECT_WIDGET_ID: 'widget',
      PRECHAT_GUARD_CONNECT_SECURITY_KEYS: 'k'.repeat(32),
    });
    expect(error.variable).toBe('PRECHAT_GUARD_SESSION_TTL_S');
    expect(error.message).toContain('660');
  });

  it('accepts a short API key with a warning that names the variable, never the key', () => {
    const config = loadConfig({ ...production, PRECHAT_GUARD_CALLER_KEYS: 'test-key' });
    expect(config.callerKeyDigests).toHaveLength(1);
    expect(config.warnings).toEqual([expect.stringMatching(/^PRECHAT_GUARD_CALLER_KEYS: a key of 8 characters/)]);
    expect(config.warnings.join()).not.toContain('test-key');
  });

  it('reads the trusted proxy setting for client addresses', () => {
    expect(loadConfig(production).trustProxy).toBe(false);
    expect(loadConfig({ ...production, PRECHAT_GUARD_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...production, PRECHAT_GUARD_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...production, PRECHAT_GUARD_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    expect(configError({ ...production, PRECHAT_GUARD_TRUST_PROXY: 'everyone' }).variable).toBe(
      'PRECHAT_GUARD_TRUST_PROXY',
    );
  });

  it('warns that PRECHAT_GUARD_TRUST_PROXY=true believes any X-Forwarded-For, and names the safe settings', () => {
    expect(loadConfig({ ...production, PRECHAT_GUARD_TRUST_PROXY: 'true' }).warnings).toEqual([
      expect.stringMatching(/^PRECHAT_GUARD_TRUST_PROXY: true .*X-Forwarded-For.*hop count.*addresses/),
    ]);
    for (const safe of ['false', '1', '10.0.0.0/8'])
      expect(loadConfig({ ...production, PRECHAT_GUARD_TRUST_PROXY: safe }).warnings).toEqual([]);
  });

  it('logs that warning at start-up', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const trustDir = mkdtempSync(path.join(tmpdir(), 'prechat-guard-trust-'));
    try {
      const config = loadConfig({
        ...production,
        PRECHAT_GUARD_TRUST_DIR: trustDir,
        PRECHAT_GUARD_TRUST_PROXY: 'true',
      });
      const app = await buildApp({ config, logger, watchTrustStore: false });
      await app.close();
    } finally {
      rmSync(trustDir, { recursive: true, force: true });
    }
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string; configuration?: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'weak configuration',
        configuration: expect.stringMatching(/^PRECHAT_GUARD_TRUST_PROXY: /),
      }),
    );
  });
});
