// How much of the server's core went to processes other than the server during a case: pinning keeps the load
// generator off the server's core, but not other work on the machine. A case where others took a large share of the
// core measured a server that did not have the core to itself; the report says so beside the figures.
import { readFileSync } from 'node:fs';

/** Busy and total time of one core, in clock ticks, from a /proc/stat text. */
export function coreTimes(procStat: string, cpu: number): { busy: number; total: number } {
  const line = procStat.split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) throw new Error(`no line for cpu${cpu} in /proc/stat`);
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f)))
    throw new Error(`unreadable /proc/stat line: ${line}`);
  // user nice system idle iowait irq softirq steal …: idle and iowait are the idle time
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU time (user + system) of one process, in clock ticks, from a /proc/<pid>/stat text. */
export function processTicks(pidStat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const after = pidStat.slice(pidStat.lastIndexOf(')') + 2).split(' ');
  // after[0] is field 3 (state); utime and stime are fields 14 and 15
  const utime = Number(after[11]);
  const stime = Number(after[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc/<pid>/stat');
  return utime + stime;
}

export interface CoreSample {
  core: { busy: number; total: number };
  servers: number;
}

export interface CoreShare {
  /** Share of the core's time the server processes used. */
  servers: number;
  /** Share of the core's time other processes used (the noise). */
  others: number;
}

export function coreShare(before: CoreSample, after: CoreSample): CoreShare {
  const total = after.core.total - before.core.total;
  if (total <= 0) throw new Error('no time passed on the core between the samples');
  const busy = after.core.busy - before.core.busy;
  const servers = Math.min(busy, Math.max(0, after.servers - before.servers));
  return { servers: servers / total, others: Math.max(0, busy - servers) / total };
}

/** A sample of the core and the servers now, or null where /proc is not there to read (not Linux). */
export function sampleCore(cpu: number, pids: readonly number[]): CoreSample | null {
  try {
    const core = coreTimes(readFileSync('/proc/stat', 'utf8'), cpu);
    const servers = pids.reduce((total, pid) => total + processTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')), 0);
    return { core, servers };
  } catch {
    return null;
  }
}
