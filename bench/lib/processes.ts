// Starting and stopping Node processes the way a user would, and waiting for them to answer on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

/** A free loopback port (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP request on loopback with a hard timeout (no keep-alive: each call is independent). */
export function request(
  port: number,
  method: string,
  urlPath: string,
  options: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error(`timeout ${method} ${urlPath}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface NodeProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

export interface StartOptions {
  /** Wraps the command (e.g. taskset to pin it to a core): gets the executable and its arguments, returns the same. */
  wrap?: (command: string, args: string[]) => [string, string[]];
  /** Takes stdout instead of output(): for a service that logs every request, whose output is read as it comes
   *  (as a log collector would) rather than kept. */
  onStdout?: (chunk: Buffer) => void;
}

export function startNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  options: StartOptions = {},
): NodeProcess {
  const [command, commandArgs] = (options.wrap ?? ((c: string, a: string[]) => [c, a]))(process.execPath, [
    ...args,
    script,
  ]);
  const child = spawn(command, commandArgs, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', options.onStdout ?? ((chunk: Buffer) => (out += chunk.toString('utf8'))));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    port,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Polls `GET urlPath` until it answers 200; returns the milliseconds since `sinceMs` (a performance.now() value).
 * Fails when the process exits first or the deadline passes.
 */
export async function waitFor200(
  proc: NodeProcess,
  urlPath: string,
  sinceMs: number,
  { timeoutMs = 15_000, pollMs = 5 } = {},
): Promise<number> {
  const deadline = sinceMs + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (performance.now() < deadline) {
    if (exited) throw new Error(`process exited before ${urlPath} answered 200:\n${proc.output().slice(-2000)}`);
    try {
      const answer = await request(proc.port, 'GET', urlPath, { timeoutMs: 1000 });
      if (answer.status === 200) return performance.now() - sinceMs;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`${urlPath} did not answer 200 within ${timeoutMs} ms:\n${proc.output().slice(-2000)}`);
}
