// The service's one model for HTTP errors: the closed list of error codes with their statuses, the error the routes
// throw, the {"error","detail"} body, and the handlers that answer them — for errors thrown by routes and hooks (Fastify's
// error handler), for requests Node's HTTP parser refuses (the server's 'clientError'), for requests Fastify's router
// refuses (frameworkErrors), and for requests that arrive while the service shuts down. docs/http-api.md#http-errors
// lists the same codes; a test holds the two together.
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ContactTokenTooLargeError } from './connect/contactToken';
import { StoreUnavailableError } from './bindings/store';

/** Every error code the service answers with, and the HTTP status that goes with it. */
export const HTTP_ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  missing_field: 400,
  invalid_field: 400,
  bad_request: 400,
  unauthenticated: 401,
  not_found: 404,
  request_timeout: 408,
  payload_too_large: 413,
  token_too_large: 413,
  unsupported_media_type: 415,
  contact_token_too_large: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  store_unavailable: 503,
  shutting_down: 503,
} as const satisfies Record<string, number>;

export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** Counts one refusal by its error code (prechat_guard_http_errors_total). */
export type CountError = (code: HttpErrorCode) => void;

export interface ErrorBody {
  error: HttpErrorCode;
  detail: string;
}

export function errorBody(code: HttpErrorCode, detail: string): ErrorBody {
  return { error: code, detail };
}

/** A request the service answers with an HTTP error instead of a verification outcome. Thrown by routes and hooks. */
export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: HttpErrorCode,
    detail: string,
    /** Response headers that go with the answer (Retry-After, WWW-Authenticate, Connection…). */
    readonly headers: Readonly<Record<string, string | number>> = {},
  ) {
    super(detail);
    this.name = 'HttpError';
    this.status = HTTP_ERROR_STATUS[code];
  }

  get body(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

const BAD_REQUEST = new HttpError('bad_request', 'The request could not be read at the HTTP level.');
const HEADERS_TOO_LARGE = new HttpError('headers_too_large', 'The request headers are too large.');
const REQUEST_TIMEOUT = new HttpError('request_timeout', 'The request did not arrive in time.');
export const SHUTTING_DOWN = new HttpError(
  'shutting_down',
  'This instance is shutting down; retry, and another one will answer.',
  { connection: 'close' },
);
export const NOT_FOUND = new HttpError('not_found', 'No such endpoint.');
export const RATE_LIMITED_DETAIL = 'Too many requests; slow down and retry shortly.';
const STORE_UNAVAILABLE = new HttpError(
  'store_unavailable',
  'The binding store is unreachable; nothing is verified until it is back.',
  { 'retry-after': 1 },
);
const FRAMEWORK_BAD_REQUEST = new HttpError('bad_request', 'The request could not be read.');
const INTERNAL_ERROR = new HttpError('internal_error', 'Something went wrong on our side; nothing was verified.');
const CONTACT_TOKEN_TOO_LARGE_DETAIL =
  'This identity carries too much data for an Amazon Connect contact token; an administrator must map fewer claims.';

/** Sends an HTTP error: its status, its headers, its body. */
export function sendHttpError(reply: FastifyReply, error: HttpError): FastifyReply {
  reply.code(error.status);
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.send(error.body);
}

/**
 * `errorResponseBuilder` for @fastify/rate-limit (which has set Retry-After and the X-RateLimit-* headers already): its
 * refusal becomes the service's 429. Shared by the app's limiter and the Amazon Connect exchange's own.
 */
export function rateLimitedError(): HttpError {
  return new HttpError('rate_limited', RATE_LIMITED_DETAIL);
}

/** The answer for anything thrown while handling a request. */
export function httpErrorFrom(error: unknown, bodyLimitBytes: number): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof StoreUnavailableError) return STORE_UNAVAILABLE;
  if (error instanceof ContactTokenTooLargeError) {
    return new HttpError('contact_token_too_large', CONTACT_TOKEN_TOO_LARGE_DETAIL);
  }
  // Anything can be thrown, null included.
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as Partial<FastifyError>;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpError('payload_too_large', `The body must be at most ${bodyLimitBytes} bytes.`);
  }
  // Framework-level client errors (bad content length, prototype poisoning, …): a stable code, no internals.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return FRAMEWORK_BAD_REQUEST;
  return INTERNAL_ERROR;
}

/**
 * Fastify's error handler. Counts every refusal but `store_unavailable` (prechat_guard_binding_store_errors_total
 * counts those), logs the service's own faults without their stack or any request data, and never lets a 5xx say more
 * than its fixed sentence.
 */
export function createErrorHandler(count: CountError, bodyLimitBytes: number) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const answer = httpErrorFrom(error, bodyLimitBytes);
    if (answer.code === 'store_unavailable') {
      request.log.error({ err: { message: (error as Error).message } }, 'binding store unavailable');
    } else {
      count(answer.code);
    }
    if (answer.code === 'internal_error') {
      const fault = (
        typeof error === 'object' && error !== null ? error : { message: String(error) }
      ) as Partial<FastifyError>;
      request.log.error({ err: { message: fault.message, code: fault.code } }, 'internal error');
    }
    return sendHttpError(reply, answer);
  };
}

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
    count(answer.code);
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
    count(answer.code);
    sendHttpError(reply, answer);
  };
}
