// The shared Redis that some suites use (REDIS_URL, default redis://127.0.0.1:6379), and what to say when it is not
// there. Like the browser suite without Chromium: outside CI a missing Redis skips those suites with one message that
// says how to start it; with CI set (CI=true) it fails them, because a green run must not hide untested code.
import { spawnSync } from 'node:child_process';

export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const REDIS_REQUIRED = (process.env.CI ?? '') !== '' && !['false', '0'].includes(process.env.CI!.toLowerCase());
export const START_REDIS = 'redis-server --daemonize yes --save "" --appendonly no';

export interface RedisProbe {
  reachable: boolean;
  /** Why not, e.g. "ECONNREFUSED"; empty when reachable. */
  error: string;
}

// A child process, so that the answer is known synchronously when Jest collects the suites (describe cannot wait).
// Any RESP reply counts: "-NOAUTH" still proves a Redis is listening there.
const PROBE = `
const socket = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
const done = (result) => { process.stdout.write(JSON.stringify(result)); socket.destroy(); process.exit(0); };
socket.setTimeout(1000, () => done({ reachable: false, error: 'no answer within 1 s' }));
socket.once('connect', () => socket.write('PING\\r\\n'));
socket.once('data', (data) => done(/^[+-]/.test(data.toString()) ? { reachable: true, error: '' } : { reachable: false, error: 'not a Redis server' }));
socket.once('error', (error) => done({ reachable: false, error: error.code || error.message }));
`;

export function redisEndpoint(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(parsed.port || 6379) };
}

export function probeRedis(url: string): RedisProbe {
  const { host, port } = redisEndpoint(url);
  const result = spawnSync(process.execPath, ['-e', PROBE, host, String(port)], { encoding: 'utf8', timeout: 5000 });
  try {
    return JSON.parse(result.stdout) as RedisProbe;
  } catch {
    return { reachable: false, error: 'the probe did not finish' };
  }
}

/** One message for a person: which service, where, why not, and the command that starts it. */
export function missingRedisMessage(suite: string, url: string, probe: RedisProbe): string {
  const { host, port } = redisEndpoint(url);
  return (
    `${suite} needs a Redis server at ${host}:${port} (REDIS_URL, default redis://127.0.0.1:6379), and there is ` +
    `none (${probe.error}). Start one with \`${START_REDIS}\` (Debian: sudo apt-get install -y redis-server), ` +
    'or point REDIS_URL at one, then run the tests again. With CI=true a missing Redis fails the run instead of ' +
    'skipping.'
  );
}

/**
 * `describe` when the shared Redis answers; otherwise `describe.skip` after saying so on stderr, or (CI) a failing
 * test with the message. Call it at the top of a suite file: `const withRedis = describeWithSharedRedis('…');`.
 */
export function describeWithSharedRedis(
  suite: string,
  options: { url?: string; required?: boolean } = {},
): jest.Describe {
  const url = options.url ?? SHARED_REDIS_URL;
  const probe = probeRedis(url);
  if (probe.reachable) return describe;
  const message = missingRedisMessage(suite, url, probe);
  if (options.required ?? REDIS_REQUIRED) {
    describe(suite, () => {
      test('has the shared Redis to run against', () => {
        throw new Error(message);
      });
    });
  } else {
    process.stderr.write(`\nprechat-guard: SKIPPED — ${message}\n\n`);
  }
  return describe.skip;
}
