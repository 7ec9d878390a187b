// A private redis-server for fault tests (never the shared instance): started on its own loopback port, stopped,
// stalled (SIGSTOP) and resumed by the test. Plus a TCP proxy that can hold back traffic to it.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../../bench/lib/processes';

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, no save) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (persistence is off). */
  start(): Promise<void>;
  stall(): void;
  resume(): void;
}

async function waitForPong(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(300, () => socket.destroy());
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    child.once('error', () => undefined);
    await waitForPong(port);
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill('SIGCONT'); // a stalled server must run to handle SIGTERM
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    start: launch,
    stall: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}

/** A loopback TCP proxy: `hold()` keeps client bytes back (counting them); `release()` forwards what was held. */
export interface HoldingProxy {
  port: number;
  hold(): void;
  release(): void;
  /** Redis commands (RESP arrays) held back so far. */
  heldCommands(): number;
  close(): Promise<void>;
}

export async function startHoldingProxy(targetPort: number): Promise<HoldingProxy> {
  let holding = false;
  const held: Array<() => void> = [];
  let heldCommands = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (holding) {
        // Several commands may share one chunk: count RESP array headers ("*<n>\r\n$<len>\r\n<NAME>").
        heldCommands += (chunk.toString('latin1').match(/\*\d+\r\n\$\d+\r\n[A-Za-z]+\r\n/g) ?? []).length;
        held.push(() => upstream.write(chunk));
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      heldCommands = 0;
      for (const forward of held.splice(0)) forward();
    },
    heldCommands: () => heldCommands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
