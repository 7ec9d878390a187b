// What a command needs from the outside world, injectable so tests run offline on a frozen clock.
import { Reporter, type OutputSink } from './output';

export interface OrgIo {
  stdout: OutputSink;
  stderr: OutputSink;
  fetch: typeof fetch;
  now: () => Date;
  cwd: string;
  env: Record<string, string | undefined>;
  /** how often deploy/retrieve status is polled */
  pollIntervalMs: number;
}

export interface CommandContext {
  io: OrgIo;
  report: Reporter;
}

export function defaultIo(): OrgIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => new Date(),
    cwd: process.cwd(),
    env: process.env,
    pollIntervalMs: 2000,
  };
}

export function createContext(overrides: Partial<OrgIo> = {}): CommandContext {
  const io = { ...defaultIo(), ...overrides };
  return { io, report: new Reporter(io.stdout, io.stderr) };
}
