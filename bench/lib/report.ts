// The bench report: what was measured, on which machine, how it compares with the limit and the baselines, and the
// goals. Printed as tables; the same object is written as JSON.
import type { CoreShare } from './coreLoad';
import type { ProfileSummary } from './cpuProfile';
import { verdict, type Goal } from './goals';
import { formatRatio } from './limit';
import type { MachineInfo } from './machine';
import type { Pinning } from './pinning';
import { formatSummary, type Summary } from './stats';
import type { WrapCheck } from './tokenPlan';
import type { RunResult } from './wrkScript';

export type BaseKey = 'limit' | 'hello.post' | 'ref.jose' | 'ref.express';

export interface CaseResult {
  key: string;
  name: string;
  /** Service processes under load in this case. */
  instances: number;
  /** Set for constant-rate cases: the rate offered, req/s over all instances. */
  offeredRate?: number;
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  rounds: RunResult[];
  /** Fresh-token cases: did any phase send more requests than it had tokens? */
  tokens?: { warmup: WrapCheck; rounds: WrapCheck[]; wrapped: boolean };
  /** The service's own count of verification outcomes over the process life (from /metrics). */
  outcomes?: { valid: number; invalid: Record<string, number> };
  /** Verification log lines the service wrote (info level), by binding state. */
  logLines?: Record<string, number>;
  /** Constant-rate cases: requests the paced client sent more than 1 ms after they were due. */
  lateSends?: { late: number; sent: number };
  /** Share of the server's core used by the servers and by other processes during the rounds (pinned runs, Linux). */
  coreLoad?: CoreShare;
  ratios: Partial<Record<BaseKey, number | null>>;
  errors: number;
}

export interface ProfileResult {
  case: string;
  summary: ProfileSummary;
  file: string;
}

export interface BenchReport {
  date: string;
  quick: boolean;
  machine: MachineInfo & { loadGenerator: string; pinning: Pinning };
  settings: {
    warmupS: number;
    roundS: number;
    rounds: number;
    connections: number;
    tokenTtlS: number;
    serviceEnv: Record<string, string>;
    redis: string;
    pool: { tokens: number; mintS: number; sizedForRate: number; headroom: number };
  };
  /** One RSA-2048 verify on the server's core: the fastest of several rounds (all rounds beside it). */
  rsaVerify: { perSecond: number; microseconds: number; medianPerSecond: number; rounds: number[] };
  limit: { helloPostRate: number; verifyMicroseconds: number; requestsPerSecond: number };
  cases: CaseResult[];
  readyMs: { samples: number[]; median: number };
  memory?: {
    bindings: number;
    verifiedThroughHttp: number;
    rssEmptyMb: number;
    rssAfterVerifiedMb: number;
    rssMb: number;
    heapUsedMb: number;
  };
  goals: Goal[];
  notes: string[];
  profiles?: ProfileResult[];
  elapsedS: number;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const n = (value: number, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits });

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const s = report.settings;
  const out: string[] = [];
  out.push(
    `prechat-guard bench — ${report.date}${report.quick ? ' — QUICK RUN: short rounds, for development only, not for the record' : ''}`,
  );
  out.push(`machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}`);
  out.push(`pinning: ${m.pinning.note}`);
  out.push(
    `load generator: ${m.loadGenerator}, ${s.connections} connections; constant-rate runs: paced Node client (open loop, latency from the scheduled send)`,
  );
  out.push(
    `rounds: ${s.warmupS} s warm-up, then ${s.rounds} × ${s.roundS} s; figures are the median (min–max, ± half the spread)`,
  );
  out.push(
    `load average: ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd?.join(' ') ?? '?'} at the end`,
  );
  out.push(
    `fresh-token limit: 1 / (1/${n(report.limit.helloPostRate)} + ${n(report.limit.verifyMicroseconds, 1)} µs) = ${n(report.limit.requestsPerSecond)} req/s (median hello-world POST rate; fastest of ${report.rsaVerify.rounds.length} RSA-2048 verify rounds on the server's core, ${report.rsaVerify.rounds.map((r) => n(r)).join(' / ')} verifies/s)`,
  );
  out.push(
    `token pool: ${n(s.pool.tokens)} tokens minted in ${n(s.pool.mintS, 1)} s on all cores, sized for ${n(s.pool.sizedForRate)} req/s + ${Math.round(s.pool.headroom * 100)} %; Redis: ${s.redis}`,
  );
  out.push('');
  out.push(
    table(
      [
        'case',
        'req/s',
        'p50 ms',
        'p99 ms',
        '÷ limit',
        '÷ hello POST',
        '÷ jose',
        '÷ express',
        'tokens',
        'invalid',
        'errors',
        'core 0: server / others',
      ],
      report.cases.map((c) => [
        c.name,
        c.offeredRate !== undefined
          ? `${n(c.requestsPerSecond.median)} (offered ${n(c.offeredRate)})`
          : formatSummary(c.requestsPerSecond),
        formatSummary(c.p50Ms, 2),
        formatSummary(c.p99Ms, 2),
        formatRatio(c.ratios.limit ?? null),
        formatRatio(c.ratios['hello.post'] ?? null),
        formatRatio(c.ratios['ref.jose'] ?? null),
        formatRatio(c.ratios['ref.express'] ?? null),
        c.tokens ? (c.tokens.wrapped ? 'WRAPPED' : 'fresh') : '–',
        c.outcomes ? n(Object.values(c.outcomes.invalid).reduce((a, b) => a + b, 0)) : '–',
        n(c.errors),
        c.coreLoad ? `${Math.round(c.coreLoad.servers * 100)} % / ${Math.round(c.coreLoad.others * 100)} %` : '–',
      ]),
    ),
  );
  out.push('');
  out.push(
    `ready (spawn → first 200 from /readyz, memory store): median ${n(report.readyMs.median)} ms of ${report.readyMs.samples.map((x) => Math.round(x)).join(', ')} ms`,
  );
  if (report.memory) {
    const mem = report.memory;
    out.push(
      `RSS: ${mem.rssEmptyMb} MB empty → ${mem.rssAfterVerifiedMb} MB after ${n(mem.verifiedThroughHttp)} verifications → ${mem.rssMb} MB with ${n(mem.bindings)} live bindings (heap in use ${mem.heapUsedMb} MB)`,
    );
  }
  out.push('');
  out.push(
    table(
      ['goal', 'target', 'measured', 'verdict'],
      report.goals.map((g) => [g.goal, g.target, g.measured, verdict(g)]),
    ),
  );
  for (const profile of report.profiles ?? []) {
    const p = profile.summary;
    out.push('');
    out.push(
      `profile of ${profile.case} (${profile.file}): ${n(p.busyMs)} ms busy, idle ${Math.round(p.categories.idle * 100)} % of ${n(p.totalMs)} ms`,
    );
    const shares = (['crypto', 'hashing', 'json', 'logging', 'metrics', 'http', 'gc', 'other'] as const)
      .map((c) => `${c} ${Math.round(p.categories[c] * 1000) / 10} %`)
      .join(', ');
    out.push(`share of busy time: ${shares}`);
    out.push(
      table(
        ['function (self time)', 'ms', 'share'],
        p.top.map((t) => [t.name, n(t.selfMs, 1), `${Math.round(t.share * 1000) / 10} %`]),
      ),
    );
  }
  if (report.notes.length) {
    out.push('');
    for (const note of report.notes) out.push(`note: ${note}`);
  }
  return out.join('\n');
}
