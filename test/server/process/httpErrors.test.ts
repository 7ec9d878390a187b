// HTTP-level errors over a real socket: what Node's parser and Fastify's router refuse before any route runs must come
// back in the service's {"error","detail"} shape with a stable code, like every other error. Raw bytes on net.connect,
// because no HTTP client would send most of these requests.
import net from 'node:net';
import { httpErrorFor } from '../../../server/src/httpErrors';
import {
  CALLER_KEY,
  mint,
  productionEnv,
  removeDir,
  testApp,
  testKey,
  trustDirWith,
  type TestApp,
} from '../../support/fixtures';

const key = testKey('org-1');
let trustDir: string;
let service: TestApp;
let port: number;

beforeAll(async () => {
  trustDir = trustDirWith([key]);
  service = await testApp(productionEnv(trustDir));
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  port = (service.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await service.close();
  removeDir(trustDir);
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP response in `text` (status line, headers, Content-Length body). */
function parseAnswer(text: string): RawAnswer & { rest: string } {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete HTTP answer in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4, end + 4 + length);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine!)?.[1]),
    headers,
    body,
    rest: text.slice(end + 4 + length),
  };
}

/** Sends raw bytes, reads until the server closes the connection (or 3 s pass), returns the first answer. */
function rawRequest(bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset after the answer is fine; an answer is what is checked
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseAnswer(text));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.write(bytes);
  });
}

const json = (answer: RawAnswer) => JSON.parse(answer.body) as Record<string, unknown>;

describe('one mapping for every HTTP-level error', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'headers_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 400, 'bad_request'],
    ['HPE_INVALID_METHOD', 400, 'bad_request'],
    ['FST_ERR_BAD_URL', 400, 'bad_request'],
    [undefined, 400, 'bad_request'],
  ])('%s → %i %s', (code, status, error) => {
    const answer = httpErrorFor(code);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status,
      body: { error, detail: expect.any(String) },
    });
  });
});

describe('requests the HTTP parser refuses', () => {
  it.each([
    [
      'Content-Length and Transfer-Encoding together (request smuggling)',
      'POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'two different Content-Length headers',
      'POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}',
    ],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n'],
    ['a header name with a space', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
    [
      // With the caller key: a stranger is refused before its body is read, so its body never gets parsed.
      'a bad chunk size in the body of an authenticated request',
      `POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CALLER_KEY}\r\nTransfer-Encoding: chunked\r\n\r\n` +
        'zz\r\n{}\r\n0\r\n\r\n',
    ],
  ])('400 bad_request for %s', async (_name, bytes) => {
    const answer = await rawRequest(bytes);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers.connection).toBe('close');
    expect(json(answer)).toEqual({ error: 'bad_request', detail: expect.any(String) });
  });

  it('431 headers_too_large for headers over the limit', async () => {
    const answer = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(json(answer)).toEqual({ error: 'headers_too_large', detail: expect.any(String) });
  });
});

describe('requests the router refuses', () => {
  it('400 bad_request for a path that is not valid percent-encoding', async () => {
    const answer = await rawRequest('GET /v1/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ error: 'bad_request', detail: expect.any(String) });
  });
});

describe('requests that reach the service', () => {
  it('401 for two Authorization headers sent on the wire (Node would keep only the first)', async () => {
    const body = JSON.stringify({ token: mint(key) });
    const answer = await rawRequest(
      'POST /v1/verify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${CALLER_KEY}\r\nAuthorization: Bearer someone-else-0123456789\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="prechat-guard"');
    expect(json(answer)).toEqual({ error: 'unauthenticated', detail: expect.any(String) });
  });

  it('counts every refusal above in prechat_guard_http_errors_total', async () => {
    const text = (await service.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/prechat_guard_http_errors_total\{code="bad_request"\} [1-9]/);
    expect(text).toContain('prechat_guard_http_errors_total{code="headers_too_large"} 1');
  });
});

describe('while shutting down', () => {
  it('503 shutting_down for a request that arrives on an open connection after close() began', async () => {
    const own = await testApp(productionEnv(trustDir));
    await own.app.listen({ port: 0, host: '127.0.0.1' });
    const ownPort = (own.app.server.address() as net.AddressInfo).port;
    const socket = net.connect(ownPort, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const body = JSON.stringify({ token: mint(key) });
    // The first request is in flight (half its body sent) when the service starts closing.
    socket.write(
      `POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CALLER_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = own.app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The rest of its body, and a second request pipelined behind it on the same connection.
    socket.write(body.slice(10) + 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    await closing;
    const first = parseAnswer(text);
    expect(first.status).toBe(200);
    expect(json(first)).toMatchObject({ valid: true });
    const second = parseAnswer(first.rest);
    expect(second.status).toBe(503);
    expect(second.headers.connection).toBe('close');
    expect(json(second)).toEqual({ error: 'shutting_down', detail: expect.any(String) });
  });
});
