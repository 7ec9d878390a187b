// What the Node load generators (autocannon fallback, paced client) get on their command line and print back. They
// run as child processes so that they can be pinned to the load generator's core like wrk.
import { RESULT_MARKER, type BodyShape, type RunResult } from './wrkScript';

export interface LoadChildOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** The token file the run walks, one request per line. */
  file: string;
  body: BodyShape;
  durationS: number;
  connections: number;
  /** Paced client only: requests per second, on a fixed schedule. */
  rate?: number;
}

export function printResult(result: RunResult & Record<string, unknown>): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

export function parseChildResult(stdout: string): RunResult & { offeredRate?: number; lateSends?: number } {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`the load generator printed no result line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as RunResult;
}

/** Percentile by rank of a sorted list (nearest rank): p in [0, 100]. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
