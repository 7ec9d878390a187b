// Where each process runs. With taskset and two or more cores, the server under test gets core 0 to itself and the
// load generator core 1, so neither steals the other's time; without them everything runs unpinned and the report
// says so, because then the figures mix the server's cost with the generator's.

export type Role = 'server' | 'load';

export interface Pinning {
  pinned: boolean;
  /** The taskset executable used to pin (null when not pinned). */
  taskset: string | null;
  serverCpu: number | null;
  loadCpu: number | null;
  /** One sentence for the report. */
  note: string;
}

export function choosePinning(tasksetPath: string | null, cores: number): Pinning {
  if (!tasksetPath) {
    return {
      pinned: false,
      taskset: null,
      serverCpu: null,
      loadCpu: null,
      note: 'NOT PINNED: taskset is not installed, so server and load generator share all cores',
    };
  }
  if (cores < 2) {
    return {
      pinned: false,
      taskset: null,
      serverCpu: null,
      loadCpu: null,
      note: `NOT PINNED: only ${cores} core, so server and load generator share it`,
    };
  }
  return {
    pinned: true,
    taskset: tasksetPath,
    serverCpu: 0,
    loadCpu: 1,
    note: 'server pinned to core 0, load generator to core 1 (taskset)',
  };
}

/** The command and arguments that run `command args` on the role's core (or unchanged when not pinned). */
export function pinnedCommand(
  pinning: Pinning,
  role: Role,
  command: string,
  args: readonly string[],
): [string, string[]] {
  const cpu = role === 'server' ? pinning.serverCpu : pinning.loadCpu;
  if (!pinning.pinned || pinning.taskset === null || cpu === null) return [command, [...args]];
  return [pinning.taskset, ['-c', String(cpu), command, ...args]];
}
