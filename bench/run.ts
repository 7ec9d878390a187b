// `npm run bench [-- --quick] [-- --profile]`: the service as an operator runs it (compiled, production mode, info
// logs, metrics on), each server alone on core 0 and the load generator alone on core 1, in warm-up + measured rounds,
// read against the fresh-token limit and hand-written baselines from the same run. docs/performance.md explains every
// figure. Prints tables; writes .bench/<time>.json and .bench/latest.json (git-ignored).
//
// Environment: BENCH_REDIS_URL (redis://127.0.0.1:6379/15: a database of its own, emptied of the service's keys before
// each Redis case and at the end), BENCH_SKIP_REDIS=1.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchGoals } from './lib/benchGoals';
import { coreShare, sampleCore } from './lib/coreLoad';
import { tokenLines } from './lib/bodies';
import { summarizeProfile, type CpuProfile } from './lib/cpuProfile';
import { createCallerKey, createSigningKey, makeTempDir, writeCertificate, type SigningKey } from './lib/keys';
import { freshLimit, ratio } from './lib/limit';
import { detectGenerator, runPhase, type LoadContext } from './lib/loadgen';
import { VerificationLogCounter } from './lib/logLines';
import { findTaskset, loadAverage, machineInfo, pinSelf } from './lib/machine';
import { mintPool } from './lib/mintPool';
import { choosePinning, pinnedCommand, type Pinning } from './lib/pinning';
import { freePort, request, startNode, waitFor200, type NodeProcess } from './lib/processes';
import { deleteServiceKeys, redisAnswers } from './lib/redisBench';
import { formatReport, type BaseKey, type BenchReport, type CaseResult, type ProfileResult } from './lib/report';
import { median, summarize } from './lib/stats';
import { checkWrap, planSlices, poolSize, splitSlice, type Slice, type WrapCheck } from './lib/tokenPlan';
import type { BodyShape, RunResult } from './lib/wrkScript';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const SERVICE = path.join(DIST, 'server/src/main.js');
const BASELINES = path.join(DIST, 'bench/baselines');
const ISSUER = '00D5g000004BENCHAA';
const AUDIENCE = 'prechat-guard';
const KID = 'prechat-guard-1';
const VERIFY_PATH = '/v1/verify';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== '--quick' && arg !== '--profile' && arg !== '--no-profile') {
    console.error(`bench: unknown option ${arg} (use --quick, --profile, --no-profile)`);
    process.exit(64);
  }
}
const QUICK = args.has('--quick');
// A run for the record says where the time goes (the goals it misses need that); a quick run only when asked.
const PROFILE = !args.has('--no-profile') && (args.has('--profile') || !QUICK);
const WARMUP_S = QUICK ? 1 : 3;
const ROUND_S = QUICK ? 2 : 8;
const ROUNDS = 3;
const CONNECTIONS = 10;
const HEADROOM = 0.25;
/** Tokens live an hour (the most the service accepts), so none expires or grows too old during a long run. */
const TOKEN_TTL_S = 3600;
const REVERIFY_TOKENS = 2000;
const READY_STARTS = QUICK ? 3 : 5;
const RSS_BINDINGS = 1_000_000;
const RSS_VERIFICATIONS = QUICK ? 10_000 : 100_000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
/** Run at the end, also when the bench fails: the temporary folder goes, and the bench's keys leave Redis. */
const cleanups: Array<() => Promise<unknown> | void> = [];

interface Setup {
  work: string;
  trustDir: string;
  certFile: string;
  key: SigningKey;
  callerKey: string;
  pinning: Pinning;
  load: LoadContext;
}

interface Server {
  proc: NodeProcess;
  readyMs: number;
  logs?: VerificationLogCounter;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The service's environment: its defaults (production mode, info logs, metrics on) plus what a deployment must set. */
function serviceEnv(setup: Setup, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PRECHAT_GUARD_TRUST_DIR: setup.trustDir,
    PRECHAT_GUARD_ISSUER: ISSUER,
    PRECHAT_GUARD_AUDIENCE: AUDIENCE,
    PRECHAT_GUARD_CALLER_KEYS: setup.callerKey,
    // The one change from the defaults: tokens minted before the run may be up to an hour old when used (the default,
    // 600 s, is shorter than a full run). Only the age comparison reads it.
    PRECHAT_GUARD_MAX_TOKEN_AGE_S: String(TOKEN_TTL_S),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function startServer(
  setup: Setup,
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; countLogs?: boolean } = {},
): Promise<Server> {
  const port = await freePort();
  // The service logs every verification to stdout: a pipe read on the load generator's core, like a log collector.
  const logs = options.countLogs ? new VerificationLogCounter() : undefined;
  const started = performance.now();
  const proc = startNode(script, options.nodeArgs ?? [], env, port, {
    wrap: (command, commandArgs) => pinnedCommand(setup.pinning, 'server', command, commandArgs),
    onStdout: logs ? (chunk) => logs.push(chunk) : undefined,
  });
  try {
    const readyMs = await waitFor200(proc, '/readyz', started, { pollMs: 2 });
    return { proc, readyMs, logs };
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
}

const callerHeaders = (setup: Setup) => ({ authorization: `Bearer ${setup.callerKey}` });

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
    else {
      const reason = /reason="([^"]+)"/.exec(labels)?.[1] ?? '?';
      result.invalid[reason] = (result.invalid[reason] ?? 0) + count;
    }
  }
  return result;
}

function runNode(script: string, env: Record<string, string>, setup: Setup, nodeArgs: string[] = []): Promise<string> {
  const [command, commandArgs] = pinnedCommand(setup.pinning, 'server', process.execPath, [...nodeArgs, script]);
  return new Promise((resolve, reject) =>
    execFile(
      command,
      commandArgs,
      { env: { ...process.env, ...env }, maxBuffer: 1024 * 1024, timeout: 15 * 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${script}: ${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

interface CaseSpec {
  key: string;
  name: string;
  start: () => Promise<Server[]>;
  body: BodyShape;
  /** Per phase, one token file per server: warm-up first, then the rounds. */
  files: { warmup: string[]; rounds: string[][] };
  /** Fresh tokens: a phase that runs out must be reported. */
  fresh: boolean;
  /** Constant rate over all servers (req/s); unset = as fast as possible. */
  rate?: number;
  before?: () => Promise<void>;
}

/** Sums the rates of servers measured side by side; the latencies are the worst of them. */
function combine(results: RunResult[]): RunResult {
  const sum = (pick: (r: RunResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const worst = (pick: (r: RunResult) => number) => Math.max(...results.map(pick));
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond),
    p50Ms: worst((r) => r.p50Ms),
    p99Ms: worst((r) => r.p99Ms),
    p999Ms: worst((r) => r.p999Ms),
    maxMs: worst((r) => r.maxMs),
    completed: sum((r) => r.completed),
    sent: sum((r) => r.sent),
    available: sum((r) => r.available),
    errors: sum((r) => r.errors),
    durationS: worst((r) => r.durationS),
  };
}

function wrapOf(results: RunResult[]): WrapCheck {
  const checks = results.map((r) => checkWrap(r.sent, r.available));
  return {
    sent: checks.reduce((a, c) => a + c.sent, 0),
    available: checks.reduce((a, c) => a + c.available, 0),
    repeated: checks.reduce((a, c) => a + c.repeated, 0),
    wrapped: checks.some((c) => c.wrapped),
  };
}

async function measureCase(setup: Setup, spec: CaseSpec): Promise<CaseResult> {
  await spec.before?.();
  log(`${spec.name}: start, ${WARMUP_S} s warm-up, ${ROUNDS} × ${ROUND_S} s`);
  const servers = await spec.start();
  try {
    const phase = async (files: string[], durationS: number) =>
      Promise.all(
        servers.map((server, i) =>
          runPhase(setup.load, {
            port: server.proc.port,
            path: VERIFY_PATH,
            headers: callerHeaders(setup),
            file: files[i]!,
            body: spec.body,
            durationS,
            connections: Math.max(1, Math.round(CONNECTIONS / servers.length)),
            rate: spec.rate === undefined ? undefined : spec.rate / servers.length,
          }),
        ),
      );
    const warmup = await phase(spec.files.warmup, WARMUP_S);
    const cpu = setup.pinning.serverCpu;
    const pids = servers.map((server) => server.proc.child.pid!);
    const coreBefore = cpu === null ? null : sampleCore(cpu, pids);
    const rounds: RunResult[][] = [];
    for (const files of spec.files.rounds) rounds.push(await phase(files, ROUND_S));
    const coreAfter = cpu === null ? null : sampleCore(cpu, pids);
    const combined = rounds.map(combine);
    const result: CaseResult = {
      key: spec.key,
      name: spec.name,
      instances: servers.length,
      offeredRate: spec.rate,
      requestsPerSecond: summarize(combined.map((r) => r.requestsPerSecond)),
      p50Ms: summarize(combined.map((r) => r.p50Ms)),
      p99Ms: summarize(combined.map((r) => r.p99Ms)),
      rounds: combined,
      ratios: {},
      errors: combined.reduce((total, r) => total + r.errors, 0),
      coreLoad: coreBefore && coreAfter ? coreShare(coreBefore, coreAfter) : undefined,
    };
    if (spec.rate !== undefined) {
      const late = rounds.flat().reduce((total, r) => total + ((r as { lateSends?: number }).lateSends ?? 0), 0);
      result.lateSends = { late, sent: combined.reduce((total, r) => total + r.sent, 0) };
    }
    if (spec.fresh) {
      const roundChecks = rounds.map(wrapOf);
      const warm = wrapOf(warmup);
      result.tokens = { warmup: warm, rounds: roundChecks, wrapped: roundChecks.some((c) => c.wrapped) };
    }
    if (spec.key.startsWith('memory') || spec.key.startsWith('redis')) {
      const all = await Promise.all(servers.map((s) => outcomes(s.proc.port)));
      result.outcomes = {
        valid: all.reduce((total, o) => total + o.valid, 0),
        invalid: Object.assign({}, ...all.map((o) => o.invalid)) as Record<string, number>,
      };
    }
    return result;
  } finally {
    for (const server of servers) await server.proc.stop();
  }
}

function addLogCounts(result: CaseResult, servers: Server[]): void {
  const counts: Record<string, number> = {};
  for (const server of servers) {
    for (const [state, count] of Object.entries(server.logs?.end() ?? {})) counts[state] = (counts[state] ?? 0) + count;
  }
  result.logLines = counts;
}

function writeTokenFile(setup: Setup, name: string, lines: string): string {
  const file = path.join(setup.work, `${name.replace(/[^a-z0-9#-]/gi, '_')}.txt`);
  writeFileSync(file, lines);
  return file;
}

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = path.join(ROOT, '.bench');
  mkdirSync(outDir, { recursive: true });
  const work = makeTempDir('bench');
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const trustDir = path.join(work, 'trust');
  const key = createSigningKey(KID);
  const machine = machineInfo();
  const pinning = choosePinning(findTaskset(), machine.cores);
  const generator = detectGenerator();
  const setup: Setup = {
    work,
    trustDir,
    certFile: writeCertificate(trustDir, key),
    key,
    callerKey: createCallerKey(),
    pinning,
    load: { generator, pinning, workDir: work, libDir: path.join(DIST, 'bench/lib') },
  };
  const notes: string[] = [];
  if (QUICK) notes.push('QUICK RUN: short rounds, for development only; do not quote these figures.');
  if (!pinning.pinned) notes.push(pinning.note);
  if (generator.kind !== 'wrk') notes.push(`load generator: ${generator.description}`);
  log(`${pinning.note}; load generator ${generator.description}`);

  const redisSkipped =
    process.env.BENCH_SKIP_REDIS === '1'
      ? 'BENCH_SKIP_REDIS=1'
      : (await redisAnswers(REDIS_URL))
        ? null
        : `${REDIS_URL} did not answer`;
  if (redisSkipped) notes.push(`Redis cases skipped: ${redisSkipped}`);
  else cleanups.push(() => deleteServiceKeys(REDIS_URL));

  // 1. One RSA-2048 verify, on the server's core.
  log('RSA-2048 verify loop on the server core');
  const crypto = JSON.parse(
    await runNode(path.join(BASELINES, 'crypto-verify.js'), { BENCH_DURATION_MS: String(QUICK ? 1000 : 3000) }, setup),
  ) as { verifiesPerSecond: number; medianPerSecond: number; rounds: number[] };
  // The fastest round: another process on the core can only slow a round down (and a faster verify is a stricter limit).
  const verifySeconds = 1 / crypto.verifiesPerSecond;

  // 2. Session tokens (re-verification, and the hello-world body), then the hello-world POST with the same body shape.
  log(`minting ${REVERIFY_TOKENS} session tokens`);
  const sessionTokens = await mintPool({
    key,
    issuer: ISSUER,
    audience: AUDIENCE,
    count: REVERIFY_TOKENS,
    ttlSeconds: TOKEN_TTL_S,
  });
  const sessionFile = writeTokenFile(setup, 'session', tokenLines(sessionTokens, 10_000_000));
  const repeat = (file: string, servers = 1) => ({
    warmup: Array(servers).fill(file) as string[],
    rounds: Array.from({ length: ROUNDS }, () => Array(servers).fill(file) as string[]),
  });
  const cases: CaseResult[] = [];
  const hello = await measureCase(setup, {
    key: 'hello.post',
    name: 'baseline: Fastify hello-world POST, same body',
    start: async () => [await startServer(setup, path.join(BASELINES, 'hello-fastify.js'), {})],
    body: 'token-and-session',
    files: repeat(sessionFile),
    fresh: false,
  });
  cases.push(hello);
  const limit = freshLimit(hello.requestsPerSecond.median, verifySeconds);
  log(
    `limit = 1 / (1/${Math.round(hello.requestsPerSecond.median)} + ${(verifySeconds * 1e6).toFixed(1)} µs) = ${Math.round(limit)} req/s`,
  );

  // 3. The fresh pool: one disjoint slice per phase, sized for the limit with the fastest hello-world round (no server
  //    here can beat it, and one noisy round must not shrink the pool) plus headroom.
  const sizedFor = freshLimit(hello.requestsPerSecond.max, verifySeconds);
  const slices = planSlices({
    phases: [
      { name: 'warm-up', seconds: WARMUP_S },
      ...Array.from({ length: ROUNDS }, (_, i) => ({ name: `round-${i + 1}`, seconds: ROUND_S })),
    ],
    maxRate: sizedFor,
    headroom: HEADROOM,
    connections: CONNECTIONS,
  });
  const needed = Math.max(poolSize(slices), RSS_VERIFICATIONS);
  log(`minting ${needed.toLocaleString('en')} fresh tokens on all cores`);
  const mintStart = performance.now();
  const pool = await mintPool({ key, issuer: ISSUER, audience: AUDIENCE, count: needed, ttlSeconds: TOKEN_TTL_S });
  const mintS = (performance.now() - mintStart) / 1000;
  const sliceFile = (slice: Slice) =>
    writeTokenFile(
      setup,
      `fresh-${slice.name}`,
      tokenLines(pool.slice(slice.start, slice.start + slice.count), slice.start),
    );
  const freshFiles = { warmup: [sliceFile(slices[0]!)], rounds: slices.slice(1).map((s) => [sliceFile(s)]) };
  const halves = slices.map((s) => splitSlice(s, 2).map(sliceFile));
  const freshFilesFor2 = { warmup: halves[0]!, rounds: halves.slice(1) };
  const rssFile = writeTokenFile(setup, 'rss', tokenLines(pool.slice(0, RSS_VERIFICATIONS), 0));
  pool.length = 0; // the files hold them now

  // From here on the orchestration stays off the server's core.
  if (pinning.pinned && pinning.taskset && pinning.loadCpu !== null) pinSelf(pinning.taskset, pinning.loadCpu);

  // 4. Baselines with fresh tokens.
  const baselineEnv = {
    BASELINE_CERT_FILE: setup.certFile,
    BASELINE_ISSUER: ISSUER,
    BASELINE_AUDIENCE: AUDIENCE,
    BASELINE_CALLER_KEY: setup.callerKey,
  };
  for (const [script, caseKey, name] of [
    ['fastify-jose.js', 'ref.jose', 'baseline: Fastify + jose (hand-written), fresh tokens'],
    ['express-jsonwebtoken.js', 'ref.express', 'baseline: Express + jsonwebtoken (hand-written), fresh tokens'],
  ] as const) {
    cases.push(
      await measureCase(setup, {
        key: caseKey,
        name,
        start: async () => [await startServer(setup, path.join(BASELINES, script), baselineEnv)],
        body: 'token-and-session',
        files: freshFiles,
        fresh: true,
      }),
    );
  }

  // 5. The service: fresh tokens and session re-verification, memory then Redis; each case a new process.
  const stores: Array<['memory' | 'redis', Record<string, string>]> = [['memory', {}]];
  if (!redisSkipped) stores.push(['redis', { REDIS_URL }]);
  const cleanRedis = async () => {
    if (!redisSkipped) await deleteServiceKeys(REDIS_URL);
  };
  const service = (extra: Record<string, string>, servers = 1, nodeArgs?: string[]) => {
    const started: Server[] = [];
    return {
      started,
      start: async () => {
        for (let i = 0; i < servers; i++) {
          started.push(
            await startServer(setup, SERVICE, serviceEnv(setup, extra), {
              nodeArgs,
              countLogs: true,
            }),
          );
        }
        return started;
      },
    };
  };
  for (const [store, extra] of stores) {
    for (const kind of ['fresh', 'reverify'] as const) {
      const s = service(extra);
      const result = await measureCase(setup, {
        key: `${store}.${kind}`,
        name: kind === 'fresh' ? `service, ${store}: fresh tokens` : `service, ${store}: session re-verification`,
        start: s.start,
        body: 'token-and-session',
        files: kind === 'fresh' ? freshFiles : repeat(sessionFile),
        fresh: kind === 'fresh',
        before: store === 'redis' ? cleanRedis : undefined,
      });
      addLogCounts(result, s.started);
      cases.push(result);
    }
  }

  // 6. p99 at half of the maximum fresh rate, constant rate.
  for (const [store, extra] of stores) {
    const max = cases.find((c) => c.key === `${store}.fresh`)!.requestsPerSecond.median;
    const s = service(extra);
    const result = await measureCase(setup, {
      key: `${store}.half`,
      name: `service, ${store}: fresh tokens at half the maximum rate`,
      start: s.start,
      body: 'token-and-session',
      files: freshFiles,
      fresh: true,
      rate: Math.max(1, Math.round(max / 2)),
      before: store === 'redis' ? cleanRedis : undefined,
    });
    addLogCounts(result, s.started);
    cases.push(result);
  }

  // 7. Two instances sharing one Redis. With two cores and the load generator on one of them, both instances share
  //    core 0: this shows what two processes on one core give together, not how instances scale.
  if (!redisSkipped) {
    const s = service({ REDIS_URL }, 2);
    const result = await measureCase(setup, {
      key: 'redis.two-instances',
      name: 'service, redis: 2 instances sharing core 0, fresh tokens',
      start: s.start,
      body: 'token-and-session',
      files: freshFilesFor2,
      fresh: true,
      before: cleanRedis,
    });
    addLogCounts(result, s.started);
    cases.push(result);
  }

  // Ratios to the limit and every baseline.
  const baseRates: Record<BaseKey, number | undefined> = {
    limit,
    'hello.post': hello.requestsPerSecond.median,
    'ref.jose': cases.find((c) => c.key === 'ref.jose')?.requestsPerSecond.median,
    'ref.express': cases.find((c) => c.key === 'ref.express')?.requestsPerSecond.median,
  };
  for (const c of cases) {
    for (const base of Object.keys(baseRates) as BaseKey[]) {
      c.ratios[base] = c.key === base ? null : ratio(c.requestsPerSecond.median, baseRates[base]);
    }
  }
  for (const c of cases) {
    if (c.tokens?.wrapped)
      notes.push(
        `${c.name}: the token pool WRAPPED (a round sent more requests than it had fresh tokens); its figures include cache hits`,
      );
    const invalid = c.outcomes ? Object.entries(c.outcomes.invalid).filter(([, count]) => count > 0) : [];
    if (invalid.length)
      notes.push(`${c.name}: invalid verifications ${invalid.map(([r, count]) => `${r} ${count}`).join(', ')}`);
    if (c.lateSends && c.lateSends.late > 0.01 * c.lateSends.sent) {
      notes.push(
        `${c.name}: the paced client sent ${c.lateSends.late} of ${c.lateSends.sent} requests more than 1 ms late (it could not keep the schedule; their latency still counts from the due time)`,
      );
    }
    if (c.coreLoad && c.coreLoad.others > 0.1) {
      notes.push(
        `${c.name}: other processes took ${Math.round(c.coreLoad.others * 100)} % of the server's core during the rounds; its figures understate the server`,
      );
    }
    if (c.errors > 0) notes.push(`${c.name}: ${c.errors} requests failed (connection errors, timeouts or HTTP ≥ 400)`);
  }

  // 8. Ready time: spawn to the first 200 from /readyz, memory store, nothing else running.
  log(`ready time: ${READY_STARTS} starts`);
  const readySamples: number[] = [];
  for (let i = 0; i < READY_STARTS; i++) {
    const server = await startServer(setup, SERVICE, serviceEnv(setup), { countLogs: true });
    readySamples.push(server.readyMs);
    await server.proc.stop();
  }

  // 9. RSS with a million live bindings after real verifications.
  log(
    `RSS: ${RSS_VERIFICATIONS.toLocaleString('en')} verifications, then ${RSS_BINDINGS.toLocaleString('en')} bindings`,
  );
  const memory = JSON.parse(
    await runNode(
      path.join(DIST, 'bench/memory/bindings.js'),
      {
        ...serviceEnv(setup),
        LOG_LEVEL: 'silent',
        BENCH_TOKENS_FILE: rssFile,
        BENCH_BINDINGS: String(RSS_BINDINGS),
      },
      setup,
      ['--expose-gc'],
    ),
  ) as NonNullable<BenchReport['memory']>;

  // 10. Where the time goes (optional): the memory cases again, under the CPU profiler.
  const profiles: ProfileResult[] = [];
  if (PROFILE) {
    const profileDir = path.join(outDir, 'profiles');
    mkdirSync(profileDir, { recursive: true });
    for (const kind of ['fresh', 'reverify'] as const) {
      const dir = path.join(work, `profile-${kind}`);
      const s = service({}, 1, ['--cpu-prof', '--cpu-prof-dir', dir]);
      await measureCase(setup, {
        key: `memory.${kind}.profiled`,
        name: `profiled: service, memory, ${kind}`,
        start: s.start,
        body: 'token-and-session',
        files: kind === 'fresh' ? freshFiles : repeat(sessionFile),
        fresh: kind === 'fresh',
      });
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no CPU profile was written to ${dir}`);
      const text = readFileSync(path.join(dir, file), 'utf8');
      const kept = path.join(profileDir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}-${kind}.cpuprofile`);
      writeFileSync(kept, text);
      profiles.push({
        case: `service, memory: ${kind}`,
        summary: summarizeProfile(JSON.parse(text) as CpuProfile),
        file: path.relative(ROOT, kept),
      });
    }
  }
  const rateOf = (caseKey: string) => cases.find((c) => c.key === caseKey)?.requestsPerSecond.median;
  const report: BenchReport = {
    date: new Date(started).toISOString(),
    quick: QUICK,
    machine: { ...machine, loadAverageAtEnd: loadAverage(), loadGenerator: generator.description, pinning },
    settings: {
      warmupS: WARMUP_S,
      roundS: ROUND_S,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      tokenTtlS: TOKEN_TTL_S,
      serviceEnv: Object.fromEntries(
        Object.entries(serviceEnv(setup)).map(([k, v]) => [
          k,
          k === 'PRECHAT_GUARD_CALLER_KEYS' ? '<generated>' : k === 'PRECHAT_GUARD_TRUST_DIR' ? '<generated>' : v,
        ]),
      ),
      redis: redisSkipped ? `skipped: ${redisSkipped}` : REDIS_URL,
      pool: { tokens: needed, mintS, sizedForRate: Math.round(sizedFor), headroom: HEADROOM },
    },
    rsaVerify: {
      perSecond: crypto.verifiesPerSecond,
      microseconds: verifySeconds * 1e6,
      medianPerSecond: crypto.medianPerSecond,
      rounds: crypto.rounds,
    },
    limit: {
      helloPostRate: hello.requestsPerSecond.median,
      verifyMicroseconds: verifySeconds * 1e6,
      requestsPerSecond: limit,
    },
    cases,
    readyMs: { samples: readySamples, median: median(readySamples) },
    memory,
    goals: benchGoals({
      rate: rateOf,
      p99: (caseKey) => cases.find((c) => c.key === caseKey)?.p99Ms.median,
      limit,
      helloPost: hello.requestsPerSecond.median,
      readyMedianMs: median(readySamples),
      rss: { mb: memory.rssMb, bindings: memory.bindings, verified: memory.verifiedThroughHttp },
      redisSkipped,
    }),
    notes,
    profiles: PROFILE ? profiles : undefined,
    elapsedS: Math.round((Date.now() - started) / 100) / 10,
  };
  const json = JSON.stringify(report, null, 2);
  const stamp = report.date.replace(/[:.]/g, '-');
  writeFileSync(path.join(outDir, `${stamp}${QUICK ? '-quick' : ''}.json`), json);
  writeFileSync(path.join(outDir, 'latest.json'), json);
  console.log(`\n${formatReport(report)}`);
  console.log(
    `\nJSON: .bench/latest.json and .bench/${stamp}${QUICK ? '-quick' : ''}.json (whole bench ${report.elapsedS} s)`,
  );
}

main()
  .catch((error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
