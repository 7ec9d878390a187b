import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { luaString, parseWrkOutput, RESULT_MARKER, wrkScript } from '../../../bench/lib/wrkScript';

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version prints its usage and exits 1; only a missing executable is "no wrk"
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

describe('luaString', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(luaString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\010d"');
  });

  it('writes non-ASCII text as its UTF-8 bytes', () => {
    expect(luaString('é')).toBe('"\\195\\169"');
  });
});

describe('wrkScript', () => {
  it('sets the path, the JSON content type and the given headers', () => {
    const script = wrkScript({ path: '/v1/verify', headers: { Authorization: 'Bearer k' }, body: 'token' });
    expect(script).toContain('local path = "/v1/verify"');
    expect(script).toContain('["content-type"] = "application/json"');
    expect(script).toContain('["authorization"] = "Bearer k"');
    expect(script).toContain(`'{"token":"' .. line .. '"}'`);
  });

  it('builds the session body from "<token> <sessionKey>" lines', () => {
    const script = wrkScript({ path: '/v1/verify', headers: {}, body: 'token-and-session' });
    expect(script).toContain(`'","sessionKey":"' .. line:sub(space + 1)`);
  });
});

describe('parseWrkOutput', () => {
  const line = (fields: Record<string, unknown>) =>
    `Running 8s test\n${RESULT_MARKER}${JSON.stringify({
      completed: 80_000,
      durationUs: 8_000_000,
      sent: 80_010,
      wraps: 0,
      available: 90_000,
      p50Us: 900,
      p99Us: 2500,
      p999Us: 4000,
      maxUs: 9000,
      errors: { connect: 0, read: 1, write: 0, status: 2, timeout: 3 },
      ...fields,
    })}\n`;

  it('reads the rate, the latencies in ms and every kind of error', () => {
    expect(parseWrkOutput(line({}))).toEqual({
      requestsPerSecond: 10_000,
      p50Ms: 0.9,
      p99Ms: 2.5,
      p999Ms: 4,
      maxMs: 9,
      completed: 80_000,
      sent: 80_010,
      available: 90_000,
      errors: 6,
      durationS: 8,
    });
  });

  it('fails with wrk’s own output when the script printed no result', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /no result line:\nunable to connect/,
    );
  });

  it('refuses a result without a duration or with a missing field', () => {
    expect(() => parseWrkOutput(line({ durationUs: 0 }))).toThrow('zero duration');
    expect(() => parseWrkOutput(line({ sent: undefined }))).toThrow('"sent"');
  });
});

// The generated Lua, run by the real wrk against a local server: each request carries the next line, and a file
// shorter than the run is reported as wrapped.
(hasWrk() ? describe : describe.skip)('the script under wrk', () => {
  let dir: string;
  let server: http.Server;
  const bodies: string[] = [];
  const authorizations = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-wrk-'));
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        authorizations.add(String(req.headers.authorization));
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('walks the file, builds the session body and reports the wrap', async () => {
    const script = path.join(dir, 'load.lua');
    writeFileSync(
      script,
      wrkScript({ path: '/v1/verify', headers: { authorization: 'Bearer k' }, body: 'token-and-session' }),
    );
    const tokens = path.join(dir, 'tokens.txt');
    writeFileSync(tokens, 'tA sA\ntB sB\ntC sC\n');
    const { port } = server.address() as AddressInfo;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'wrk',
        ['-t1', '-c1', '-d1s', '-s', script, `http://127.0.0.1:${port}/v1/verify`, '--', tokens],
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const result = parseWrkOutput(stdout);
    expect(result.available).toBe(3);
    expect(result.sent).toBeGreaterThan(3);
    expect(result.completed).toBeGreaterThan(3);
    // wrk calls request() once after init() to check the script and never sends that request: the first line
    // is counted as sent but the server first sees the second one.
    expect(bodies.slice(0, 4)).toEqual([
      '{"token":"tB","sessionKey":"sB"}',
      '{"token":"tC","sessionKey":"sC"}',
      '{"token":"tA","sessionKey":"sA"}',
      '{"token":"tB","sessionKey":"sB"}',
    ]);
    expect(result.sent).toBe(bodies.length + 1);
    expect([...authorizations]).toEqual(['Bearer k']);
  });
});
