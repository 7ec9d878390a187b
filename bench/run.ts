// `npm run bench`: the service as a user runs it (compiled, production mode, generated trust store and caller key),
// driven by autocannon on loopback, next to baselines measured in the same run. Every goal is a ratio against a
// same-run baseline, because these machines are shared and noisy. Prints a table; writes .bench/<time>.json and
// .bench/latest.json (git-ignored).
//
// Knobs (environment): BENCH_DURATION_S (2), BENCH_ROUNDS (3), BENCH_CONNECTIONS (10), BENCH_FRESH_TOKENS (40000),
// BENCH_BINDINGS (1000000),
// REDIS_URL (redis://127.0.0.1:6379; the Redis runs are skipped when it does not answer), BENCH_SKIP_REDIS=1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCallerKey, createSigningKey, makeTempDir, writeCertificate, type SigningKey } from './lib/keys';
import { drive, type LoadResult } from './lib/load';
import { mintPool } from './lib/mintPool';
import { freePort, request, startNode, waitFor200, type NodeProcess } from './lib/processes';
import { evaluateGoals, printReport, type BenchReport, type Measurement } from './lib/report';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const SERVICE = path.join(DIST, 'server/src/main.js');
const BASELINES = path.join(DIST, 'bench/baselines');
const ISSUER = '00D5g000004BENCHAA';
const AUDIENCE = 'prechat-guard';
const KID = 'prechat-guard-1';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_S = 1;
const HALF_LOAD_S = 3;
const FRESH_POOL = Number(process.env.BENCH_FRESH_TOKENS ?? 40_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REVERIFY_POOL = 2000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Setup {
  trustDir: string;
  certFile: string;
  key: SigningKey;
  callerKey: string;
}

/** Hands out pool entries in order; counts how often it had to wrap (a reused token would measure the cache). */
class Cursor {
  private next = 0;
  wrapped = 0;
  constructor(private readonly pool: string[]) {}
  remaining(): number {
    return this.pool.length - this.next;
  }
  take(): string {
    if (this.next >= this.pool.length) {
      this.next = 0;
      this.wrapped++;
    }
    return this.pool[this.next++]!;
  }
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function startProcess(
  script: string,
  env: Record<string, string>,
): Promise<{ proc: NodeProcess; readyMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const proc = startNode(script, [], env, port);
  const readyMs = await waitFor200(proc, '/readyz', started, { pollMs: 2 });
  return { proc, readyMs };
}

function serviceEnv(setup: Setup, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PRECHAT_GUARD_TRUST_DIR: setup.trustDir,
    PRECHAT_GUARD_ISSUER: ISSUER,
    PRECHAT_GUARD_AUDIENCE: AUDIENCE,
    PRECHAT_GUARD_CALLER_KEYS: setup.callerKey,
    PRECHAT_GUARD_SESSION_TTL_S: '900',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function baselineEnv(setup: Setup): Record<string, string> {
  return {
    BASELINE_CERT_FILE: setup.certFile,
    BASELINE_ISSUER: ISSUER,
    BASELINE_AUDIENCE: AUDIENCE,
    BASELINE_CALLER_KEY: setup.callerKey,
  };
}

const verifyHeaders = (setup: Setup) => ({ authorization: `Bearer ${setup.callerKey}` });

/** The service's own count of verification outcomes, from /metrics: proves the load verified (and how). */
async function outcomes(port: number): Promise<{ valid: number; invalid: Record<string, number> }> {
  const text = (await request(port, 'GET', '/metrics')).body;
  const result = { valid: 0, invalid: {} as Record<string, number> };
  for (const line of text.split('\n')) {
    const match = /^prechat_guard_verifications_total\{([^}]*)\} (\d+)/.exec(line);
    if (!match) continue;
    const labels = match[1]!;
    const count = Number(match[2]);
    if (labels.includes('outcome="valid"')) result.valid += count;
    else result.invalid[/reason="([^"]+)"/.exec(labels)?.[1] ?? '?'] = count;
  }
  return result;
}

async function sanity(port: number, setup: Setup, token: string, expectValid: boolean): Promise<void> {
  const answer = await request(port, 'POST', '/v1/verify', {
    headers: { ...verifyHeaders(setup), 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const valid = (JSON.parse(answer.body) as { valid?: boolean }).valid === true;
  if (answer.status !== 200 || valid !== expectValid) {
    throw new Error(`sanity check failed on port ${port}: ${answer.status} ${answer.body.slice(0, 200)}`);
  }
}

function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
  });
}

async function runBaselineProcess(script: string, env: Record<string, string>): Promise<Record<string, number>> {
  const out = execFileSync(process.execPath, [path.join(BASELINES, script)], { env: { ...process.env, ...env } });
  return JSON.parse(out.toString()) as Record<string, number>;
}

interface Target {
  key: string;
  name: string;
  proc: NodeProcess;
  /** The load of one run against this target. */
  load: (durationS: number, overallRate?: number) => Promise<LoadResult>;
  cursor?: Cursor;
  service: boolean;
}

/** The run whose req/s is the median of the rounds: its latencies belong to the same run as its rate. */
function medianRun(runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function freshTarget(
  key: string,
  name: string,
  proc: NodeProcess,
  setup: Setup,
  pool: string[],
  service: boolean,
): Target {
  const cursor = new Cursor(pool);
  return {
    key,
    name,
    proc,
    cursor,
    service,
    load: (durationS, overallRate) =>
      drive({
        port: proc.port,
        method: 'POST',
        path: '/v1/verify',
        headers: verifyHeaders(setup),
        body: () => JSON.stringify({ token: cursor.take() }),
        durationS,
        // never more requests than unseen tokens left: the run ends early rather than repeat a token
        amount: Math.max(CONNECTIONS, cursor.remaining()),
        connections: CONNECTIONS,
        overallRate,
      }),
  };
}

async function reverifyTarget(
  key: string,
  name: string,
  proc: NodeProcess,
  setup: Setup,
  pool: string[],
): Promise<Target> {
  const bodies = pool.map((token, i) =>
    JSON.stringify({ token, sessionKey: `0Mw5g0BENCH${String(i).padStart(7, '0')}` }),
  );
  let next = 0;
  const body = () => bodies[next++ % bodies.length]!;
  const common = { port: proc.port, method: 'POST' as const, path: '/v1/verify', headers: verifyHeaders(setup), body };
  // First use binds every token to its session key; from then on every request is a same-session re-verification.
  await drive({ ...common, amount: bodies.length, connections: CONNECTIONS });
  return {
    key,
    name,
    proc,
    service: true,
    load: (durationS) => drive({ ...common, durationS, connections: CONNECTIONS }),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = path.join(ROOT, '.bench');
  mkdirSync(outDir, { recursive: true });
  const work = makeTempDir('bench');
  const trustDir = path.join(work, 'trust');
  const key = createSigningKey(KID);
  const setup: Setup = { trustDir, certFile: writeCertificate(trustDir, key), key, callerKey: createCallerKey() };

  log('crypto ceiling: RSA-2048 verify loop (one core)');
  const crypto = await runBaselineProcess('crypto-verify.js', { BENCH_DURATION_MS: '2000' });

  const redisSkipped =
    process.env.BENCH_SKIP_REDIS === '1'
      ? 'BENCH_SKIP_REDIS=1'
      : (await redisAnswers(REDIS_URL))
        ? null
        : `${REDIS_URL} did not answer`;

  log(`minting ${FRESH_POOL} + ${2 * REVERIFY_POOL} tokens on ${os.availableParallelism()} cores`);
  const mintStart = performance.now();
  const fresh = await mintPool({ key, issuer: ISSUER, audience: AUDIENCE, count: FRESH_POOL });
  const reverifyPools = [
    await mintPool({ key, issuer: ISSUER, audience: AUDIENCE, count: REVERIFY_POOL }),
    await mintPool({ key, issuer: ISSUER, audience: AUDIENCE, count: REVERIFY_POOL }),
  ];
  const mintMs = Math.round(performance.now() - mintStart);

  log('starting the servers (each timed from spawn to /readyz 200)');
  const readyMs = { memory: [] as number[], redis: [] as number[], helloWorld: 0 };
  const hello = await startProcess(path.join(BASELINES, 'hello-fastify.js'), {});
  readyMs.helloWorld = hello.readyMs;
  const sampleBody = JSON.stringify({ token: fresh[0], sessionKey: '0Mw5g0000000001AAA' });
  const targets: Target[] = [
    {
      key: 'hello.get',
      name: 'baseline: Fastify hello-world GET /',
      proc: hello.proc,
      service: false,
      load: (d) => drive({ port: hello.proc.port, method: 'GET', path: '/', durationS: d, connections: CONNECTIONS }),
    },
    {
      key: 'hello.post',
      // The body goes through the same per-request callback as the token runs, so the client's cost matches too.
      name: 'baseline: Fastify hello-world POST, same body',
      proc: hello.proc,
      service: false,
      load: (d) =>
        drive({
          port: hello.proc.port,
          method: 'POST',
          path: '/v1/verify',
          body: () => sampleBody,
          durationS: d,
          connections: CONNECTIONS,
        }),
    },
  ];
  for (const [script, refKey, name] of [
    ['express-jsonwebtoken.js', 'ref.express', 'baseline: Express + jsonwebtoken (hand-written)'],
    ['fastify-jose.js', 'ref.jose', 'baseline: Fastify + jose.jwtVerify (hand-written)'],
  ] as const) {
    const { proc } = await startProcess(path.join(BASELINES, script), baselineEnv(setup));
    targets.push(freshTarget(refKey, name, proc, setup, fresh, false));
  }
  const stores: Array<[string, Record<string, string>]> = [['memory', {}]];
  if (redisSkipped === null) stores.push(['redis', { REDIS_URL }]);
  for (const [index, [store, extra]] of stores.entries()) {
    const env = serviceEnv(setup, extra);
    const a = await startProcess(SERVICE, env);
    await sanity(a.proc.port, setup, fresh[fresh.length - 1]!, true);
    targets.push(freshTarget(`${store}.fresh`, `service ${store}: fresh tokens`, a.proc, setup, fresh, true));
    const b = await startProcess(SERVICE, env);
    targets.push(
      await reverifyTarget(
        `${store}.reverify`,
        `service ${store}: session re-verify`,
        b.proc,
        setup,
        reverifyPools[index]!,
      ),
    );
    (store === 'redis' ? readyMs.redis : readyMs.memory).push(a.readyMs, b.readyMs);
  }
  // more start-up samples for the readiness goal (nothing else runs meanwhile)
  for (let i = 0; i < 3; i++) {
    const extra = await startProcess(SERVICE, serviceEnv(setup));
    readyMs.memory.push(extra.readyMs);
    await extra.proc.stop();
  }

  log(`warm-up ${WARMUP_S} s each, then ${ROUNDS} interleaved rounds of ${DURATION_S} s per server`);
  for (const target of targets) await target.load(WARMUP_S);
  const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.key, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // rotate the order so that no server always runs first (or last) in a round
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round) % targets.length]!;
      runs.get(target.key)!.push(await target.load(DURATION_S));
    }
  }

  const measurements: Measurement[] = [];
  for (const target of targets) {
    const rounds = runs.get(target.key)!;
    measurements.push({
      name: target.name,
      key: target.key,
      ...medianRun(rounds),
      rounds: rounds.map((r) => r.requestsPerSecond),
      unseenTokensLeft: target.cursor?.remaining(),
    });
  }

  log('latency at half of the measured maximum');
  for (const [store] of stores) {
    const target = targets.find((t) => t.key === `${store}.fresh`)!;
    const rate = Math.max(1, Math.floor(measurements.find((m) => m.key === target.key)!.requestsPerSecond / 2));
    const result = await target.load(HALF_LOAD_S, rate);
    measurements.push({
      name: `service ${store}: fresh at ${rate} req/s (half)`,
      key: `${store}.half`,
      ...result,
      unseenTokensLeft: target.cursor?.remaining(),
    });
  }
  for (const target of targets.filter((t) => t.service)) {
    const m = measurements.find((x) => x.key === target.key)!;
    m.outcomes = await outcomes(target.proc.port);
  }
  for (const proc of new Set(targets.map((t) => t.proc))) await proc.stop();

  log('RSS with live bindings in the memory store');
  const tokensFile = path.join(work, 'rss-tokens.json');
  writeFileSync(tokensFile, JSON.stringify(fresh.slice(0, 10_000)));
  const rss = JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', path.join(DIST, 'bench/memory/bindings.js')], {
      env: {
        ...process.env,
        ...serviceEnv(setup),
        BENCH_TOKENS_FILE: tokensFile,
        PRECHAT_GUARD_MEMORY_MAX_BINDINGS: '2000000',
      },
    }).toString(),
  ) as BenchReport['memory'];
  rmSync(work, { recursive: true, force: true });

  const report: BenchReport = {
    date: new Date(started).toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.type()} ${os.release()}`,
      node: process.version,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    settings: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      freshPool: fresh.length,
      mintMs,
      redis: redisSkipped ?? REDIS_URL,
    },
    crypto: { verifiesPerSecond: crypto.verifiesPerSecond! },
    measurements,
    readyMs,
    memory: rss,
    goals: [],
    elapsedS: 0,
  };
  report.goals = evaluateGoals(report);
  report.elapsedS = Math.round((Date.now() - started) / 100) / 10;
  const json = JSON.stringify(report, null, 2);
  writeFileSync(path.join(outDir, `${report.date.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(path.join(outDir, 'latest.json'), json);
  printReport(report);
  console.log(`\nJSON: .bench/latest.json (whole bench ${report.elapsedS} s)`);
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
