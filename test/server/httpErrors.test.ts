// The one HTTP error model: the closed list of codes agrees with the documented table, every kind of failure maps to
// its code, and a fault of ours answers 500 with a fixed sentence, counted, logged without the request's data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp } from '../../server/src/app';
import { StoreUnavailableError, type BindingStore } from '../../server/src/bindings/store';
import { loadConfig } from '../../server/src/config';
import { ContactTokenTooLargeError } from '../../server/src/connect/contactToken';
import { HTTP_ERROR_STATUS, HttpError, httpErrorFrom } from '../../server/src/httpErrors';
import { CALLER_KEY, mint, productionEnv, removeDir, testKey, trustDirWith } from '../support/fixtures';

const BODY_LIMIT = 16 * 1024;

/** The `| status | \`code\` | when |` rows of docs/http-api.md's "HTTP errors" table. */
function documentedErrors(): Record<string, number> {
  const doc = readFileSync(path.join(__dirname, '../../docs/http-api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## HTTP errors'), doc.indexOf('\n## ', doc.indexOf('## HTTP errors') + 3));
  const rows = [...section.matchAll(/^\| (\d{3}) \| `([a-z_]+)` \|/gm)];
  return Object.fromEntries(rows.map(([, status, code]) => [code!, Number(status)]));
}

describe('the error codes', () => {
  it('are exactly the ones docs/http-api.md documents, with the same statuses', () => {
    expect(documentedErrors()).toEqual({ ...HTTP_ERROR_STATUS });
  });

  it('give every HttpError the status of its code and the {"error","detail"} body', () => {
    const error = new HttpError('token_too_large', 'too long');
    expect(error.status).toBe(413);
    expect(error.body).toEqual({ error: 'token_too_large', detail: 'too long' });
  });
});

describe('httpErrorFrom', () => {
  it('keeps an HttpError as thrown', () => {
    const error = new HttpError('invalid_field', '"x" must be a string.');
    expect(httpErrorFrom(error, BODY_LIMIT)).toBe(error);
  });

  it('answers a store that does not answer with 503 store_unavailable and Retry-After', () => {
    const answer = httpErrorFrom(new StoreUnavailableError('ECONNREFUSED 10.0.0.5:6379'), BODY_LIMIT);
    expect(answer.status).toBe(503);
    expect(answer.code).toBe('store_unavailable');
    expect(answer.headers).toEqual({ 'retry-after': 1 });
    expect(answer.message).not.toContain('10.0.0.5');
  });

  it('answers a contact token Amazon Connect would refuse with 422 and a sentence for an administrator', () => {
    const answer = httpErrorFrom(new ContactTokenTooLargeError(7000), BODY_LIMIT);
    expect(answer.status).toBe(422);
    expect(answer.code).toBe('contact_token_too_large');
    expect(answer.message).toMatch(/administrator/);
  });

  it('answers a body over the limit with 413 payload_too_large naming the limit', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    const answer = httpErrorFrom(tooLarge, BODY_LIMIT);
    expect([answer.status, answer.code]).toEqual([413, 'payload_too_large']);
    expect(answer.message).toContain('16384 bytes');
  });

  it('answers other framework client errors with 400 bad_request, without their internals', () => {
    const invalid = Object.assign(new Error('FST_ERR_CTP_INVALID_CONTENT_LENGTH: details'), {
      code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      statusCode: 400,
    });
    const answer = httpErrorFrom(invalid, BODY_LIMIT);
    expect([answer.status, answer.code]).toEqual([400, 'bad_request']);
    expect(answer.message).not.toContain('FST_ERR');
  });

  it('answers anything else with 500 internal_error and a fixed sentence', () => {
    for (const thrown of [new TypeError("Cannot read properties of undefined (reading 'x')"), 'a string', null]) {
      const answer = httpErrorFrom(thrown, BODY_LIMIT);
      expect([answer.status, answer.code]).toEqual([500, 'internal_error']);
      expect(answer.message).toBe('Something went wrong on our side; nothing was verified.');
    }
  });
});

describe('a fault of ours, through the app', () => {
  /** A store with a bug: it throws a plain TypeError, not the store-unavailable error the service expects. */
  class BuggyStore implements BindingStore {
    readonly kind = 'memory' as const;
    async get(): Promise<null> {
      throw new TypeError("Cannot read properties of undefined (reading 'sessionDigest')");
    }
    async bindIfAbsent(): Promise<never> {
      throw new TypeError("Cannot read properties of undefined (reading 'sessionDigest')");
    }
    async ping() {
      return true;
    }
    async close() {}
  }

  it('answers 500 internal_error, counts it, and logs the message without the token or a stack', async () => {
    const key = testKey('org-1');
    const trustDir = trustDirWith([key]);
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const app = await buildApp({
      config: loadConfig(productionEnv(trustDir)),
      logger,
      watchTrustStore: false,
      bindings: new BuggyStore(),
    });
    try {
      const token = mint(key);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/verify',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CALLER_KEY}` },
        payload: JSON.stringify({ token, sessionKey: 'chat-1' }),
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: 'internal_error',
        detail: 'Something went wrong on our side; nothing was verified.',
      });
      expect(response.body).not.toContain('sessionDigest');

      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('prechat_guard_http_errors_total{code="internal_error"} 1');

      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const fault = logged.find((line) => line.msg === 'internal error');
      expect(fault).toBeDefined();
      expect(JSON.stringify(fault)).toContain('sessionDigest');
      expect((fault!.err as { stack?: string }).stack ?? '').toBe('');
      expect(JSON.stringify(fault)).not.toMatch(/\s+at /);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await app.close();
      removeDir(trustDir);
    }
  });
});
