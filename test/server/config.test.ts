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
      redisUrl: null,
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
});
