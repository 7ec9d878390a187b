// POST /v1/dev/mint (dev mode only): mint a token for a test user with the development key, exactly as Apex would.
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { HttpError } from '../httpErrors';
import { mintIdentityToken, DEFAULT_TTL_SECONDS } from '../tokens/mint';
import { toUserId18 } from '../tokens/salesforceId';
import { MAX_TOKEN_LIFETIME_S } from '../tokens/verifier';

export function registerDevMintRoute(app: FastifyInstance, context: ServiceContext): void {
  const dev = context.dev;
  if (!dev) return;
  app.post('/v1/dev/mint', { onRequest: context.requireCaller }, async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError('invalid_body', 'The body must be a JSON object with a "userId" field.');
    }
    const userId = toUserId18(body.userId);
    if (userId === null) {
      throw new HttpError('invalid_field', '"userId" must be a Salesforce user id (005…, 15 or 18 characters).');
    }
    const ttl = body.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_LIFETIME_S) {
      throw new HttpError('invalid_field', `"ttlSeconds" must be a whole number from 1 to ${MAX_TOKEN_LIFETIME_S}.`);
    }
    const optional = (name: string): string | null => (typeof body[name] === 'string' ? (body[name] as string) : null);
    const minted = mintIdentityToken({
      privateKey: dev.privateKey,
      kid: dev.kid,
      issuer: context.config.issuer,
      audience: context.config.audience,
      userId,
      nowSeconds: Math.floor(context.now() / 1000),
      ttlSeconds: ttl,
      contactId: optional('contactId'),
      accountId: optional('accountId'),
      networkId: optional('networkId'),
      locale: optional('locale'),
    });
    return { userId, token: minted.token, expiresAt: new Date(minted.expiresAt * 1000).toISOString() };
  });
}
