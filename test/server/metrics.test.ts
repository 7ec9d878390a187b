// The names on /metrics: Node.js default metrics under their conventional names (what standard dashboards query),
// the service's own under prechat_guard_, and each of those documented in docs/operations.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TrustStore } from '../../server/src/keys/trustStore';
import { createMetrics } from '../../server/src/metrics';
import { NOW_MS, mint, productionEnv, removeDir, testApp, testKey, trustDirWith, verify } from '../support/fixtures';

const current = testKey('current');
const expired = testKey('expired', {
  notBefore: new Date(NOW_MS - 400 * 86_400_000),
  notAfter: new Date(NOW_MS - 86_400_000),
});
let trustDir: string;
let text: string;
beforeAll(async () => {
  trustDir = trustDirWith([current, expired]);
  const { app, close } = await testApp(productionEnv(trustDir));
  await verify(app, { token: mint(current) });
  text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  await close();
});
afterAll(() => removeDir(trustDir));

function families(exposition: string): string[] {
  return [...exposition.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1]!);
}

describe('metric names', () => {
  it('exposes the Node.js default metrics under their conventional names, without a doubled prefix', () => {
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_cpu_system_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_heap_size_total_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_version_info',
    ]) {
      expect(families(text)).toContain(name);
    }
    expect(text).not.toContain('prechat_guard_process_');
  });

  it('keeps every other metric under prechat_guard_', () => {
    const stray = families(text).filter((name) => !/^(prechat_guard_|process_|nodejs_)/.test(name));
    expect(stray).toEqual([]);
  });

  it('counts the trusted keys and those inside their validity period', () => {
    expect(text).toMatch(/^prechat_guard_trusted_keys 2$/m);
    expect(text).toMatch(/^prechat_guard_valid_keys 1$/m);
  });

  it('reports the expiry of each key in days and as a timestamp', () => {
    expect(text).toContain('prechat_guard_key_expiry_days{kid="expired"} -1');
    const notAfter = Math.floor(new Date(NOW_MS + 365 * 86_400_000).getTime() / 1000);
    expect(text).toContain(`prechat_guard_key_not_after_timestamp_seconds{kid="current"} ${notAfter}`);
  });

  it('documents every metric the service exposes in docs/operations.md', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');
    const own = families(text).filter((name) => name.startsWith('prechat_guard_'));
    expect(own.length).toBeGreaterThanOrEqual(8);
    for (const name of [...own, 'prechat_guard_connect_exchanges_total']) expect(doc).toContain(`\`${name}`);
  });
});

describe('createMetrics', () => {
  it('can be created twice in one process (one registry per app)', async () => {
    const store = new TrustStore(trustDir);
    const first = createMetrics(store, () => NOW_MS);
    const second = createMetrics(store, () => NOW_MS);
    first.verifications.inc({ outcome: 'valid', reason: 'ok' });
    expect(await second.registry.metrics()).not.toContain('prechat_guard_verifications_total{outcome="valid"');
  });
});
