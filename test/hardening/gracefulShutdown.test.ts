// Graceful shutdown under load (issue 7): the compiled service runs as its own process on a private Redis behind a
// proxy that can hold traffic back. Holding it makes every request genuinely in flight (waiting on the binding store);
// SIGTERM arrives; the proxy lets go; every request sent before the signal completes with a verified answer and the
// process exits 0. Requests sent after the signal may only be refused (503 or a closed connection).
import http from 'node:http';
import net from 'node:net';
import { createCallerKey } from '../../bench/lib/keys';
import { freePort, startNode, waitFor200, type NodeProcess } from '../../bench/lib/processes';
import { ensureServiceBuilt } from './support/build';
import { eventually, sleep, startLoad, within } from './support/load';
import { startHoldingProxy, startPrivateRedis, type HoldingProxy, type PrivateRedis } from './support/redis';
import { createTrust, productionEnv, validToken, type TrustFixture } from './support/service';

jest.setTimeout(40_000);

let trust: TrustFixture;
let redis: PrivateRedis;
let proxy: HoldingProxy;
let proc: NodeProcess | undefined;
let stopLoad: (() => Promise<unknown>) | undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

beforeAll(async () => {
  ensureServiceBuilt();
  trust = createTrust();
  redis = await startPrivateRedis();
  proxy = await startHoldingProxy(redis.port);
});

afterAll(async () => {
  await stopLoad?.();
  agent.destroy();
  await proc?.stop('SIGKILL');
  await proxy?.close();
  await redis?.stop();
  trust?.remove();
});

interface Answer {
  status: number;
  valid: boolean;
  network?: string;
}

function post(port: number, callerKey: string, body: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/verify',
        agent,
        headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          let valid = false;
          try {
            valid = (JSON.parse(text) as { valid?: unknown }).valid === true;
          } catch {
            // not JSON: counted as not valid
          }
          resolve({ status: res.statusCode ?? 0, valid });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, valid: false, network: error.code }));
    req.end(payload);
  });
}

test('SIGTERM under load: in-flight requests complete, late ones are refused, exit code 0', async () => {
  const callerKey = createCallerKey();
  const port = await freePort();
  proc = startNode(
    ensureServiceBuilt(),
    [],
    productionEnv(trust.dir, callerKey, { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LOG_LEVEL: 'warn' }),
    port,
  );
  await waitFor200(proc, '/readyz', performance.now());

  const fresh = (n: number) => ({
    token: validToken(trust.key, Math.floor(Date.now() / 1000)).token,
    sessionKey: `0Mw-${n}`,
  });
  const load = startLoad(
    8,
    async (n) => {
      const answer = await post(port, callerKey, fresh(n));
      if (answer.network) await sleep(20); // refused after shutdown: do not spin
      return answer;
    },
    'before',
  );
  stopLoad = () => load.stop();
  await sleep(400);

  // Hold the store: everything sent from now on waits inside the service, in flight.
  proxy.hold();
  const extra = Array.from({ length: 10 }, (_, n) => post(port, callerKey, fresh(100_000 + n)));
  // 8 load workers + 10 extra requests, each waiting on at least one Redis command.
  expect(await eventually(async () => proxy.heldCommands() >= 18, 2000, 5)).toBe(true);
  load.setPhase('after-sigterm');
  proc.child.kill('SIGTERM');
  await sleep(150); // the service is closing now, with 18 requests in flight
  proxy.release(); // well inside the service's 1 s store timeout

  const extraAnswers = await Promise.all(extra);
  const exitCode = await within(proc.exited, 15_000, 'still running 15 s after SIGTERM');
  const samples = await load.stop();

  expect(exitCode).toBe(0);
  expect(extraAnswers).toEqual(extraAnswers.map(() => ({ status: 200, valid: true })));
  const before = samples.filter((s) => s.phase === 'before').map((s) => s.result);
  expect(before.length).toBeGreaterThan(8);
  expect(before.filter((a) => !(a.status === 200 && a.valid))).toEqual([]);
  // After the signal: the in-flight ones above completed; anything new is refused, never half-answered or 5xx.
  const after = samples.filter((s) => s.phase === 'after-sigterm').map((s) => s.result);
  expect(after.filter((a) => !(a.status === 503 || a.network !== undefined || (a.status === 200 && a.valid)))).toEqual(
    [],
  );
  expect(proc.output()).not.toMatch(/"level":(50|60)/);
});

describe('the grace period (PRECHAT_GUARD_SHUTDOWN_GRACE_S)', () => {
  let own: NodeProcess | undefined;
  afterEach(async () => {
    await own?.stop('SIGKILL');
    own = undefined;
  });

  /** A request whose body is only half sent: in flight inside the service until `finish` sends the rest. */
  function halfSentRequest(port: number, callerKey: string) {
    const body = JSON.stringify({
      token: validToken(trust.key, Math.floor(Date.now() / 1000)).token,
      sessionKey: 'c-1',
    });
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
    socket.write(
      `POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${callerKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
    );
    return { finish: () => socket.write(body.slice(20)), answer: closed };
  }

  async function startWithGrace(graceSeconds: string) {
    const callerKey = createCallerKey();
    const port = await freePort();
    own = startNode(
      ensureServiceBuilt(),
      [],
      productionEnv(trust.dir, callerKey, { PRECHAT_GUARD_SHUTDOWN_GRACE_S: graceSeconds, LOG_LEVEL: 'info' }),
      port,
    );
    await waitFor200(own, '/readyz', performance.now());
    return { port, callerKey, proc: own };
  }

  test('a request still in flight when the grace period ends is cut off: exit 1, and the log says how many', async () => {
    const { port, callerKey, proc } = await startWithGrace('1');
    const stuck = halfSentRequest(port, callerKey);
    await sleep(200);
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const exitCode = await within(proc.exited, 5000, 'still running 5 s after SIGTERM');
    expect(exitCode).toBe(1);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(900);
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    expect(await stuck.answer).toBe(''); // cut off: no half answer
    expect(proc.output()).toMatch(/"level":50.*"openConnections":1.*grace period/);
  });

  test('a request that finishes within the grace period is answered, then exit 0', async () => {
    const { port, callerKey, proc } = await startWithGrace('5');
    const slow = halfSentRequest(port, callerKey);
    await sleep(200);
    proc.child.kill('SIGTERM');
    await sleep(500);
    slow.finish();
    expect(await within(proc.exited, 5000, 'still running 5 s after SIGTERM')).toBe(0);
    const answer = await slow.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"valid":true');
  });
});
