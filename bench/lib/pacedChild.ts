// A constant-rate load generator (child process): requests leave on a fixed schedule, rate per second, whatever the
// server answers, and each latency counts from the moment its request was *due*, not from when a free connection
// sent it, so a stalled server shows in the percentiles instead of quietly lowering the rate (the correction wrk2
// makes; wrk2 is not packaged in Debian). autocannon's overallRate is not used because it lets every connection send
// its whole per-second quota at once and then wait for the next second: bursts at full speed, not a constant rate.
// Raw keep-alive sockets and prebuilt requests keep the client's own cost per request small.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { bodyFor, readLines } from './bodies';
import { ResponseReader, postRequest } from './httpResponses';
import { percentile, printResult, type LoadChildOptions } from './loadChildProtocol';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadChildOptions;
if (!options.rate || options.rate <= 0) throw new Error('the paced client needs a positive rate');
const host = `127.0.0.1:${options.port}`;
const requests = readLines(readFileSync(options.file, 'utf8')).map((line) =>
  postRequest(host, options.path, options.headers, bodyFor(options.body, line)),
);
const intervalMs = 1000 / options.rate;
/** The first half second runs on the same schedule but is not recorded: the client's own start (JIT, first writes)
 *  is not the server's latency. */
const LEAD_IN_MS = 500;
const latencies: number[] = [];
let due = 0;
let sent = 0;
let completed = 0;
let errors = 0;
let lateSends = 0;
/** Every answer, lead-in included (completed counts only the measured ones). */
let answered = 0;
let closedEarly = 0;
let start = 0;
let measuredFrom = 0;
let end = 0;

interface Connection {
  socket: net.Socket;
  reader: ResponseReader;
  /** When the request in flight on this connection was due (NaN: idle). */
  dueAt: number;
}

const idle: Connection[] = [];
/** Due times of requests waiting for a free connection (open loop: they wait, their latency runs). */
const waiting: number[] = [];
let waitingHead = 0;

function send(connection: Connection, dueAt: number): void {
  connection.dueAt = dueAt;
  // More than a millisecond behind schedule: reported, and its latency still counts from dueAt.
  if (dueAt >= measuredFrom && performance.now() - dueAt > 1) lateSends++;
  connection.socket.write(requests[sent++ % requests.length]!);
}

function dispatch(dueAt: number): void {
  const connection = idle.pop();
  if (connection) send(connection, dueAt);
  else waiting.push(dueAt);
}

function connect(): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(options.port, '127.0.0.1');
    socket.setNoDelay(true);
    const connection: Connection = { socket, reader: new ResponseReader(), dueAt: NaN };
    socket.once('connect', () => resolve(connection));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      for (const response of connection.reader.push(chunk)) {
        if (connection.dueAt >= measuredFrom) {
          completed++;
          if (response.status >= 400) errors++;
          else latencies.push(performance.now() - connection.dueAt);
        }
        answered++;
        if (waitingHead < waiting.length) send(connection, waiting[waitingHead++]!);
        else {
          connection.dueAt = NaN;
          idle.push(connection);
        }
      }
    });
    socket.on('close', () => {
      if (performance.now() < end) closedEarly++;
    });
  });
}

function finish(connections: Connection[]): void {
  const durationS = (performance.now() - measuredFrom) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  printResult({
    requestsPerSecond: completed / durationS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    completed,
    sent,
    available: requests.length,
    errors: errors + closedEarly,
    durationS,
    offeredRate: options.rate!,
    lateSends,
  });
  for (const connection of connections) connection.socket.destroy();
}

async function main(): Promise<void> {
  const connections = await Promise.all(Array.from({ length: options.connections }, connect));
  idle.push(...connections);
  start = performance.now();
  measuredFrom = start + LEAD_IN_MS;
  end = measuredFrom + options.durationS * 1000;
  const tick = () => {
    const now = performance.now();
    while (start + due * intervalMs <= now && start + due * intervalMs < end) dispatch(start + due++ * intervalMs);
    const next = start + due * intervalMs;
    if (next < end) {
      // Timers are only good to about a millisecond: sleep on one until the next request is near, then poll the
      // event loop (answers are still read between polls) so that each request leaves on time. This core is ours.
      const wait = next - performance.now();
      if (wait > 2) setTimeout(tick, wait - 1.5);
      else setImmediate(tick);
      return;
    }
    // Schedule done: wait (bounded) for the answers still in flight.
    const waitUntil = performance.now() + 10_000;
    const drain = () =>
      answered + closedEarly >= sent && waitingHead >= waiting.length
        ? finish(connections)
        : performance.now() > waitUntil
          ? finish(connections)
          : setTimeout(drain, 5);
    drain();
  };
  tick();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
