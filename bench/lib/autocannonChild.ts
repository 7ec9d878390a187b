// The fallback load generator when wrk is not installed (child process): autocannon at full speed, each request
// carrying the next line of the token file, the same bodies as the wrk script.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { bodyFor, readLines } from './bodies';
import { printResult, type LoadChildOptions } from './loadChildProtocol';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadChildOptions;
  const bodies = readLines(readFileSync(options.file, 'utf8')).map((line) => bodyFor(options.body, line));
  let sent = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationS,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: { 'content-type': 'application/json', ...options.headers },
        setupRequest: (req) => ({ ...req, body: bodies[sent++ % bodies.length] }),
      },
    ],
  });
  printResult({
    requestsPerSecond: result.requests.total / Math.max(result.duration, 0.001),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p999Ms: result.latency.p99_9,
    maxMs: result.latency.max,
    completed: result.requests.total,
    sent,
    available: bodies.length,
    errors: result.errors + result.timeouts + result.non2xx,
    durationS: result.duration,
  });
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
