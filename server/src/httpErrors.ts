// Errors answered before any route runs, in the service's {"error","detail"} shape with a stable code like every
// other error: requests Node's HTTP parser refuses (the server's 'clientError'), requests Fastify's router refuses
// (frameworkErrors), and requests that arrive while the service shuts down. One mapping for all of them.
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Counts one refusal by its error code (prechat_guard_http_errors_total). */
export type CountError = (code: string) => void;

export interface ErrorBody {
  error: string;
  detail: string;
}

export function errorBody(code: string, detail: string): ErrorBody {
  return { error: code, detail };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
}

const BAD_REQUEST: HttpError = {
  status: 400,
  body: errorBody('bad_request', 'The request could not be read at the HTTP level.'),
};
const HEADERS_TOO_LARGE: HttpError = {
  status: 431,
  body: errorBody('headers_too_large', 'The request headers are too large.'),
};
const REQUEST_TIMEOUT: HttpError = {
  status: 408,
  body: errorBody('request_timeout', 'The request did not arrive in time.'),
};
export const SHUTTING_DOWN: HttpError = {
  status: 503,
  body: errorBody('shutting_down', 'This instance is shutting down; retry, and another one will answer.'),
};

/** The answer for an error code of Node's HTTP parser (HPE_*, ERR_HTTP_*) or of Fastify's router (FST_ERR_*). */
export function httpErrorFor(code: string | undefined): HttpError {
  if (code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return REQUEST_TIMEOUT;
  // Smuggling shapes (Content-Length with Transfer-Encoding, two lengths), bad request lines, header names, chunk
  // sizes, URLs that are not valid percent-encoding: all one thing to a caller, a request that cannot be read.
  return BAD_REQUEST;
}

/** The raw HTTP/1.1 response for a socket whose request never became one (no request, no reply objects). */
export function rawHttpResponse({ status, body }: HttpError): string {
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

/** Fastify's `clientErrorHandler`: the server's 'clientError' event, for requests Node's parser refuses. */
export function createClientErrorHandler(count: CountError) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // A connection reset has nothing to answer; a destroyed socket cannot be written to.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer = httpErrorFor(error.code);
    count(answer.body.error);
    // As Node's own handler does: answer only if no response has started on this connection (a request refused before
    // its body was read, say), or the client would read our answer as part of that one.
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // After a parse error the connection cannot be trusted to frame another request: answer, then close it. end()
    // rather than destroy(): it lets the answer reach the client before the connection goes.
    if (socket.writable && !current?.headersSent) socket.end(rawHttpResponse(answer));
    else socket.end();
    // Do not wait forever on a client that never closes its side.
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/** Fastify's `frameworkErrors`: requests its router refuses (a URL that is not valid percent-encoding, …). */
export function createFrameworkErrorHandler(count: CountError) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const answer = httpErrorFor(error.code);
    count(answer.body.error);
    reply.code(answer.status).send(answer.body);
  };
}
