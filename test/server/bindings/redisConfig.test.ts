// The Redis topology from the environment: exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS; every
// variable that only means something beside another is refused alone, and each refusal names its variable.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterSlot } from '../../../server/src/bindings/redisClient';
import { ConfigError, loadConfig } from '../../../server/src/config';
import { removeDir, tempDir } from '../../support/fixtures';

const production = {
  NODE_ENV: 'production',
  PRECHAT_GUARD_TRUST_DIR: '/etc/prechat-guard/trust',
  PRECHAT_GUARD_ISSUER: '00D000000000001AAA',
  PRECHAT_GUARD_CALLER_KEYS: 'a-caller-key-that-is-long-enough',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...production, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

let dir: string;
let caFile: string;
beforeAll(() => {
  dir = tempDir();
  caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(path.join(dir, 'not-a-ca.txt'), 'hello');
});
afterAll(() => removeDir(dir));

describe('Redis configuration', () => {
  it('is off (in-process store) when no topology is set', () => {
    expect(loadConfig(production).redis).toBeNull();
  });

  it('reads one server from REDIS_URL, credentials and TLS in the URL, no replicas required', () => {
    expect(loadConfig({ ...production, REDIS_URL: 'rediss://svc:secret@redis.internal:6380' }).redis).toEqual({
      topology: 'single',
      url: 'rediss://svc:secret@redis.internal:6380',
      username: null,
      password: null,
      tlsCa: null,
      minReplicas: 0,
    });
  });

  it('trusts the CA in REDIS_TLS_CA_FILE for rediss://', () => {
    const config = loadConfig({ ...production, REDIS_URL: 'rediss://redis:6380', REDIS_TLS_CA_FILE: caFile });
    expect(config.redis?.tlsCa).toContain('BEGIN CERTIFICATE');
  });

  it('reads cluster seeds (an IPv6 address in brackets) with credentials from REDIS_USERNAME/REDIS_PASSWORD', () => {
    const config = loadConfig({
      ...production,
      REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-2.internal:7001,[::1]:7002',
      REDIS_USERNAME: 'prechat-guard',
      REDIS_PASSWORD: 'secret',
    });
    expect(config.redis).toEqual({
      topology: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-2.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: 'prechat-guard',
      password: 'secret',
      tlsCa: null,
      minReplicas: 0,
    });
    expect(config.warnings).toEqual([]);
  });

  it('reads Sentinels and the primary name, with the minimum of replicas', () => {
    const config = loadConfig({
      ...production,
      REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379',
      REDIS_SENTINEL_NAME: 'prechat-guard',
      PRECHAT_GUARD_REDIS_MIN_REPLICAS: '1',
      REDIS_TLS_CA_FILE: caFile,
    });
    expect(config.redis).toMatchObject({
      topology: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '10.0.0.3', port: 26379 },
      ],
      masterName: 'prechat-guard',
      minReplicas: 1,
    });
    expect(config.warnings).toEqual([]);
  });

  it('warns that Sentinel without a replica minimum can lose acknowledged bindings in a failover', () => {
    const config = loadConfig({ ...production, REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'm' });
    expect(config.warnings).toEqual([
      expect.stringMatching(/^PRECHAT_GUARD_REDIS_MIN_REPLICAS: 0 with REDIS_SENTINELS/),
    ]);
  });

  it.each([
    [{ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' }, 'REDIS_URL', ['REDIS_CLUSTER_NODES']],
    [{ REDIS_CLUSTER_NODES: 'b:7000', REDIS_SENTINELS: 'c:26379' }, 'REDIS_CLUSTER_NODES', ['REDIS_SENTINELS']],
    [
      { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000', REDIS_SENTINELS: 'c:26379' },
      'REDIS_URL',
      ['REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'],
    ],
  ])('refuses two topologies at once and names them: %j', (env, variable, others) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    for (const other of others) expect(error.message).toContain(other);
    expect(error.message).toContain('exactly one Redis topology');
  });

  it.each([
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }, 'must start with redis:// or rediss://'],
    ['REDIS_URL', { REDIS_URL: 'redis://' }, 'must start with redis:// or rediss://'],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'redis-1' }, 'host:port'],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'redis-1:99999' }, 'host:port'],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: ' , ' }, 'at least one host:port'],
    ['REDIS_SENTINELS', { REDIS_SENTINELS: '::1:26379', REDIS_SENTINEL_NAME: 'm' }, 'in brackets'],
    ['REDIS_SENTINEL_NAME', { REDIS_SENTINELS: '10.0.0.1:26379' }, 'is required with REDIS_SENTINELS'],
    ['REDIS_SENTINEL_NAME', { REDIS_SENTINEL_NAME: 'm' }, 'only used with REDIS_SENTINELS'],
    ['REDIS_SENTINEL_NAME', { REDIS_URL: 'redis://a:6379', REDIS_SENTINEL_NAME: 'm' }, 'only used with'],
    ['REDIS_PASSWORD', { REDIS_URL: 'redis://a:6379', REDIS_PASSWORD: 'x' }, 'put the credentials in REDIS_URL'],
    ['REDIS_USERNAME', { REDIS_URL: 'redis://a:6379', REDIS_USERNAME: 'x' }, 'put the credentials in REDIS_URL'],
    ['REDIS_PASSWORD', { REDIS_CLUSTER_NODES: 'b:7000', REDIS_USERNAME: 'x' }, 'required when REDIS_USERNAME'],
    ['REDIS_PASSWORD', { REDIS_PASSWORD: 'x' }, 'needs a Redis topology'],
    ['REDIS_TLS_CA_FILE', { REDIS_TLS_CA_FILE: 'ca.crt' }, 'needs a Redis topology'],
    ['REDIS_TLS_CA_FILE', { REDIS_URL: 'rediss://a:6380', REDIS_TLS_CA_FILE: '/nonexistent/ca.crt' }, 'cannot be read'],
    ['REDIS_TLS_CA_FILE', { REDIS_URL: 'redis://a:6379', REDIS_TLS_CA_FILE: 'CA' }, 'use a rediss:// REDIS_URL'],
    ['REDIS_TLS_CA_FILE', { REDIS_CLUSTER_NODES: 'b:7000', REDIS_TLS_CA_FILE: 'NOT_PEM' }, 'PEM file'],
    ['PRECHAT_GUARD_REDIS_MIN_REPLICAS', { PRECHAT_GUARD_REDIS_MIN_REPLICAS: '1' }, 'needs a Redis topology'],
    ['PRECHAT_GUARD_REDIS_MIN_REPLICAS', { REDIS_URL: 'redis://a', PRECHAT_GUARD_REDIS_MIN_REPLICAS: '-1' }, 'whole'],
    ['PRECHAT_GUARD_REDIS_MIN_REPLICAS', { REDIS_URL: 'redis://a', PRECHAT_GUARD_REDIS_MIN_REPLICAS: '17' }, '0 to 16'],
  ])('refuses %s: %j', (variable, env, rule) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([name, value]) => [
        name,
        value === 'CA' ? caFile : value === 'NOT_PEM' ? path.join(dir, 'not-a-ca.txt') : value,
      ]),
    );
    const error = configError(resolved);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(rule);
  });

  it('stops the process before it starts: the message names the variable (main.ts exits 78 with it)', () => {
    expect(() => loadConfig({ ...production, REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 'c:26379' })).toThrow(
      /^REDIS_URL: cannot be combined with REDIS_SENTINELS/,
    );
  });
});

describe('cluster slots', () => {
  // Values from the Redis documentation (CLUSTER KEYSLOT): a {hash tag} decides the slot when present.
  it.each([
    ['somekey', 11058],
    ['foo{hash_tag}', 2515],
    ['{hash_tag}bar', 2515],
  ])('%s is in slot %i', (key, slot) => {
    expect(clusterSlot(key)).toBe(slot);
  });
});
