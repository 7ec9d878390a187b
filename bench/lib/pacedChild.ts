// A constant-rate load generator (child process): requests leave on a fixed schedule, rate per second, whatever the
// server answers, and each latency counts from the moment its request was *due*, not from when a free connection
// sent it, so a stalled server shows in the percentiles instead of quietly lowering the rate (the correction wrk2
// makes; wrk2 is not packaged in Debian). autocannon's overallRate is not used because it lets every connection send
// its whole per-second quota at once and then wait for the next second: bursts at full speed, not a constant rate.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { bodyFor, readLines } from './bodies';
import { percentile, printResult, type LoadChildOptions } from './loadChildProtocol';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadChildOptions;
if (!options.rate || options.rate <= 0) throw new Error('the paced client needs a positive rate');
const bodies = readLines(readFileSync(options.file, 'utf8')).map((line) => bodyFor(options.body, line));
const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
const intervalMs = 1000 / options.rate;
const latencies: number[] = [];
let due = 0;
let sent = 0;
let completed = 0;
let errors = 0;
let lateSends = 0;
let outstanding = 0;
const start = performance.now();
const end = start + options.durationS * 1000;

function send(dueAt: number): void {
  const body = bodies[sent % bodies.length]!;
  sent++;
  outstanding++;
  // More than a millisecond behind schedule: the client itself could not keep up (reported, never hidden).
  if (performance.now() - dueAt > 1) lateSends++;
  const req = http.request(
    {
      host: '127.0.0.1',
      port: options.port,
      method: 'POST',
      path: options.path,
      agent,
      headers: { 'content-type': 'application/json', ...options.headers, 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        outstanding--;
        completed++;
        if ((res.statusCode ?? 0) >= 400) errors++;
        else latencies.push(performance.now() - dueAt);
      });
    },
  );
  req.on('error', () => {
    outstanding--;
    errors++;
  });
  req.end(body);
}

function finish(): void {
  const durationS = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  printResult({
    requestsPerSecond: completed / durationS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    completed,
    sent,
    available: bodies.length,
    errors,
    durationS,
    offeredRate: options.rate!,
    lateSends,
  });
  agent.destroy();
}

function tick(): void {
  const now = performance.now();
  while (start + due * intervalMs <= now && start + due * intervalMs < end) send(start + due++ * intervalMs);
  const next = start + due * intervalMs;
  if (next < end) {
    setTimeout(tick, Math.max(0, next - performance.now()));
    return;
  }
  // Schedule done: wait (bounded) for the answers still in flight.
  const waitUntil = performance.now() + 10_000;
  const drain = () => (outstanding === 0 || performance.now() > waitUntil ? finish() : setTimeout(drain, 5));
  drain();
}

tick();
