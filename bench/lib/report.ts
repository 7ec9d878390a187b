// The bench report: measurements, goals as same-run ratios, a console table.
import type { LoadResult } from './load';

export interface Measurement extends LoadResult {
  name: string;
  key: string;
  /** How often a token pool had to wrap around (0 = every request carried a token the process had not seen). */
  wrapped?: number;
  /** req/s of every round (the figures above are from the median round). */
  rounds?: number[];
  /** Unused tokens left in the pool after the runs (0 means a run was cut short by the pool, never repeated). */
  unseenTokensLeft?: number;
  /** The service's own count of outcomes for the whole process life (warm-up included). */
  outcomes?: { valid: number; invalid: Record<string, number> };
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean;
  /** measured ÷ target for ratios and rates, target ÷ measured for ceilings; < 1 means missed by that factor. */
  margin: number;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; platform: string; node: string; loadAverage: number[] };
  settings: {
    durationS: number;
    warmupS: number;
    rounds: number;
    connections: number;
    freshPool: number;
    mintMs: number;
    redis: string;
  };
  crypto: { verifiesPerSecond: number };
  measurements: Measurement[];
  readyMs: { memory: number[]; redis: number[]; helloWorld: number };
  memory: {
    bindings: number;
    verifiedThroughHttp: number;
    rssEmptyMb: number;
    rssAfterVerifiedMb: number;
    rssMb: number;
  };
  goals: Goal[];
  elapsedS: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const round2 = (value: number) => Math.round(value * 100) / 100;

export function evaluateGoals(report: BenchReport): Goal[] {
  const rate = (key: string) => report.measurements.find((m) => m.key === key)?.requestsPerSecond ?? NaN;
  const hello = rate('hello.get');
  const goals: Goal[] = [];
  const atLeast = (goal: string, value: number, base: number, factor: number) =>
    goals.push({
      goal,
      target: `≥ ${factor} ×`,
      measured: `${round2(value / base)} ×`,
      met: value >= factor * base,
      margin: round2(value / base / factor),
    });
  const atMost = (goal: string, value: number, limit: number, unit: string) =>
    goals.push({
      goal,
      target: `≤ ${limit} ${unit}`,
      measured: `${round2(value)} ${unit}`,
      met: value <= limit,
      margin: round2(limit / value),
    });

  const helloPost = rate('hello.post');
  for (const store of ['memory', 'redis']) {
    const fresh = rate(`${store}.fresh`);
    if (Number.isNaN(fresh)) continue;
    atLeast(`[${store}] fresh tokens vs hello-world GET`, fresh, hello, 0.5);
    atLeast(`[${store}] fresh tokens vs hello-world POST (same body)`, fresh, helloPost, 0.5);
    atLeast(`[${store}] fresh tokens vs Express + jsonwebtoken`, fresh, rate('ref.express'), 2);
    atLeast(`[${store}] fresh tokens vs Fastify + jose`, fresh, rate('ref.jose'), 2);
    atLeast(`[${store}] session re-verify vs hello-world GET`, rate(`${store}.reverify`), hello, 0.9);
    atLeast(`[${store}] session re-verify vs hello-world POST (same body)`, rate(`${store}.reverify`), helloPost, 0.9);
    const half = report.measurements.find((m) => m.key === `${store}.half`);
    if (half) atMost(`[${store}] p99 at half of max rate`, half.p99Ms, 10, 'ms');
  }
  atMost('[memory] process start → /readyz 200 (median)', median(report.readyMs.memory), 500, 'ms');
  atMost(`[memory] RSS with ${report.memory.bindings.toLocaleString('en')} bindings`, report.memory.rssMb, 256, 'MB');
  return goals;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(report: BenchReport): void {
  const m = report.machine;
  console.log(`\nprechat-guard bench — ${report.date} — Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB`);
  console.log(
    `autocannon: ${report.settings.connections} connections, ${report.settings.warmupS} s warm-up + ${report.settings.durationS} s per run; crypto ceiling ${report.crypto.verifiesPerSecond.toLocaleString('en')} RSA-2048 verifies/s on one core; load average at the end ${m.loadAverage.join(' ')}\n`,
  );
  console.log(
    table(
      ['run', 'req/s', 'rounds', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'invalid'],
      report.measurements.map((x) => [
        x.name,
        x.requestsPerSecond.toLocaleString('en'),
        x.rounds ? x.rounds.join(' / ') : '-',
        String(x.p50Ms),
        String(x.p99Ms),
        String(x.non2xx),
        String(x.errors + x.timeouts),
        x.outcomes ? String(Object.values(x.outcomes.invalid).reduce((a, b) => a + b, 0)) : '-',
      ]),
    ),
  );
  console.log(
    `\nready (process start → /readyz 200): memory ${report.readyMs.memory.map(Math.round).join(', ')} ms; redis ${report.readyMs.redis.map(Math.round).join(', ') || '-'} ms; hello-world ${Math.round(report.readyMs.helloWorld)} ms`,
  );
  console.log(
    `RSS: ${report.memory.rssEmptyMb} MB empty → ${report.memory.rssAfterVerifiedMb} MB after ${report.memory.verifiedThroughHttp} real verifications → ${report.memory.rssMb} MB with ${report.memory.bindings.toLocaleString('en')} bindings\n`,
  );
  console.log(
    table(
      ['goal', 'target', 'measured', 'met'],
      report.goals.map((g) => [g.goal, g.target, g.measured, g.met ? 'yes' : `NO (${g.margin} of goal)`]),
    ),
  );
}
