// Identity token → Amazon Connect contact JWT. The identity token is verified with the full docs/architecture.md §4.2 rules and consumed:
// its jti is bound to a session key nobody else holds, so any later exchange or /v1/verify of it answers `replayed`.
import { randomUUID } from 'node:crypto';
import type { ConnectConfig } from '../config';
import { legacySignature } from '../tokens/legacyV1';
import { reject, type Rejected } from '../tokens/outcome';
import type { TokenVerifier } from '../tokens/verifier';
import { contactAttributes } from './attributes';
import { signContactToken } from './contactToken';

export const EXCHANGE_SESSION_PREFIX = 'amazon-connect-exchange:';

export interface ExchangeRequest {
  token: string;
  userId?: string;
}

export interface Exchanged {
  valid: true;
  chatToken: string;
  /** ISO 8601: the contact token's exp. */
  expiresAt: string;
  userId: string;
  tokenId: string | null;
}

export type ExchangeOutcome = Exchanged | Rejected;

export interface ExchangeDependencies {
  connect: ConnectConfig;
  verifier: Pick<TokenVerifier, 'verify'>;
  now: () => number;
  /** A session key used once; tests may fix it. */
  newSessionKey?: () => string;
}

const LEGACY_DETAIL = 'Legacy (v1) tokens cannot be exchanged: they carry no expiry and no token id to consume.';

export async function exchangeIdentityToken(
  request: ExchangeRequest,
  deps: ExchangeDependencies,
): Promise<ExchangeOutcome> {
  // Whatever PRECHAT_GUARD_LEGACY says: a v1 token could be exchanged again and again.
  if (legacySignature(request.token)) return reject('legacy_disabled', LEGACY_DETAIL);

  // A stateless check first, so that a token is never consumed by an exchange that then cannot issue (too large).
  const preview = await deps.verifier.verify({ token: request.token, userId: request.userId });
  if (!preview.valid) return preview;
  const { connect } = deps;
  const contact = signContactToken({
    widgetId: connect.widgetId,
    securityKey: connect.securityKeys[0]!,
    nowSeconds: deps.now() / 1000,
    ttlSeconds: connect.ttlSeconds,
    attributes: contactAttributes(connect.attributes, preview),
  });

  const sessionKey = (deps.newSessionKey ?? (() => EXCHANGE_SESSION_PREFIX + randomUUID()))();
  const consumed = await deps.verifier.verify({ token: request.token, userId: request.userId, sessionKey });
  if (!consumed.valid) return consumed;
  // Only a binding created just now proves this exchange is the token's first use.
  if (consumed.binding !== 'new') return reject('replayed');
  return {
    valid: true,
    chatToken: contact.token,
    expiresAt: new Date(contact.expiresAt * 1000).toISOString(),
    userId: consumed.userId,
    tokenId: consumed.tokenId,
  };
}
