// What a test run says when the shared Redis is missing: a closed loopback port stands in for a stopped Redis.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { START_REDIS, missingRedisMessage, probeRedis } from '../support/sharedRedis';

const ROOT = path.resolve(__dirname, '../..');

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a missing shared Redis', () => {
  it('is detected on a closed port, with the reason', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    expect(probeRedis(url)).toEqual({ reachable: false, error: 'ECONNREFUSED' });
  });

  it('is named in one message: which service, where, why, and the command that starts it', async () => {
    const port = await closedPort();
    const url = `redis://127.0.0.1:${port}`;
    const message = missingRedisMessage('The replay race suite', url, probeRedis(url));
    expect(message).toContain(`The replay race suite needs a Redis server at 127.0.0.1:${port}`);
    expect(message).toContain('(ECONNREFUSED)');
    expect(message).toContain('`redis-server --daemonize yes --save "" --appendonly no`');
    expect(message).toContain('CI=true');
    expect(START_REDIS).toBe('redis-server --daemonize yes --save "" --appendonly no');
  });

  it('fails instead of skipping when required (CI=true), with that message', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const jest = require.resolve('jest/bin/jest');
    const run = spawnSync(
      process.execPath,
      [jest, '-c', 'jest.server.config.js', 'test/server/bindings/redisStore.test.ts', '--ci'],
      { cwd: ROOT, env: { ...process.env, CI: 'true', REDIS_URL: url }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has the shared Redis to run against');
    expect(run.stderr).toContain('redis-server --daemonize yes --save "" --appendonly no');
  });

  it('skips outside CI, saying so once on stderr', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const jest = require.resolve('jest/bin/jest');
    const { CI: _ci, ...env } = process.env;
    const run = spawnSync(
      process.execPath,
      [jest, '-c', 'jest.server.config.js', 'test/server/bindings/redisStore.test.ts'],
      { cwd: ROOT, env: { ...env, REDIS_URL: url }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('prechat-guard: SKIPPED — The Redis binding store suite');
    expect(run.stderr).toMatch(/skipped/);
  });
});
