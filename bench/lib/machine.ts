// The machine a run came from, for the report: figures from different machines are not comparable.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  platform: string;
  node: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: loadAverage(),
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

/** The path of taskset, or null when it is not installed. */
export function findTaskset(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' });
  const where = found.stdout.trim();
  return found.status === 0 && where ? where : null;
}

/** Moves this process (every thread) to one core, so that the orchestration never runs on the server's core. */
export function pinSelf(taskset: string, cpu: number): boolean {
  return spawnSync(taskset, ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}
