// POST /v1/verify (docs/architecture.md §5): body validation, then the verification pipeline. A verification outcome is a
// 200 with valid true/false; only transport problems are HTTP errors.
import type { FastifyInstance } from 'fastify';
import { StoreUnavailableError } from '../bindings/store';
import { HttpError } from '../httpErrors';
import { tokenHashOf, type VerifyRequest } from '../tokens/verifier';
import type { ServiceContext } from '../context';
import { logsAt, tokenFingerprintOfHash } from '../log';

export const MAX_TOKEN_CHARS = 8192;
/** Counted in UTF-16 code units (JavaScript `length`): a character outside the BMP, such as an emoji, counts as two. */
export const MAX_FIELD_CHARS = 255;

/** String.prototype.isWellFormed (ES2024; Node 20+), typed here because the project compiles against ES2023. */
function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

function optionalString(body: Record<string, unknown>, field: string, maxChars?: number): string | undefined {
  const value = body[field];
  // Apex's JSON.serialize writes absent values as null: treat null like an absent optional field.
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HttpError('invalid_field', `"${field}" must be a string.`);
  if (value.length === 0) throw new HttpError('invalid_field', `"${field}" must not be empty.`);
  if (maxChars !== undefined && value.length > maxChars) {
    throw new HttpError('invalid_field', `"${field}" must be at most ${maxChars} characters.`);
  }
  return value;
}

export function parseVerifyBody(body: unknown): VerifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('invalid_body', 'The body must be a JSON object with a "token" field.');
  }
  const fields = body as Record<string, unknown>;
  const token = fields.token;
  if (token === undefined || token === null) throw new HttpError('missing_field', '"token" is required.');
  if (typeof token !== 'string') throw new HttpError('invalid_field', '"token" must be a string.');
  if (token.length === 0) throw new HttpError('invalid_field', '"token" must not be empty.');
  if (token.length > MAX_TOKEN_CHARS) {
    throw new HttpError('token_too_large', `"token" must be at most ${MAX_TOKEN_CHARS} characters.`);
  }
  // userId has no length limit of its own in the contract (docs/architecture.md §5): the body limit bounds it, and a
  // long one is simply not the token's subject (user_mismatch).
  const userId = optionalString(fields, 'userId');
  const sessionKey = optionalString(fields, 'sessionKey', MAX_FIELD_CHARS);
  // Bindings store a digest of the session key's UTF-8 bytes, and UTF-8 has no form for a lone surrogate: it would
  // become U+FFFD, so two different keys (say "a\uD800" and "a\uDC00") would be one session. Such a key is refused.
  if (sessionKey !== undefined && !isWellFormed(sessionKey)) {
    throw new HttpError(
      'invalid_field',
      '"sessionKey" must be well-formed Unicode text (it has a lone surrogate, as in "\\ud800" without its pair).',
    );
  }
  return { token, userId, sessionKey };
}

export function registerVerifyRoute(app: FastifyInstance, context: ServiceContext): void {
  app.post('/v1/verify', { onRequest: context.requireCaller }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const input = parseVerifyBody(request.body);
    // One SHA-256 of the token serves the verifier (its cache key) and the log line (its fingerprint).
    const tokenHash = tokenHashOf(input.token);
    let outcome;
    try {
      outcome = await context.verifier.verify(input, tokenHash);
    } catch (error) {
      if (error instanceof StoreUnavailableError) context.metrics.storeErrors.inc();
      throw error;
    }
    const label = outcome.valid ? 'valid' : 'invalid';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    context.metrics.recordVerification(outcome.valid ? null : outcome.reason, seconds);
    if (logsAt(request.log, 'info')) {
      request.log.info(
        {
          tokenHash: tokenFingerprintOfHash(tokenHash),
          jti: outcome.valid ? outcome.tokenId : undefined,
          outcome: label,
          reason: outcome.valid ? undefined : outcome.reason,
          binding: outcome.valid ? outcome.binding : undefined,
        },
        'verification',
      );
    }
    return reply.send(outcome);
  });
}
