// The simulated bot's verifier client: POST /v1/verify exactly as PrechatGuardVerifierClient (Apex) calls it — the
// caller key in the Authorization header, { token, userId?, sessionKey? } as the body, a short timeout, and every
// transport failure turned into a not-verified answer (service_unavailable) instead of an exception.
import { sameUserId } from '../../server/src/tokens/salesforceId';

export const SERVICE_UNAVAILABLE = 'service_unavailable';
const TIMEOUT_MS = 5000;
const REASON_CODE = /^[a-z][a-z_]{0,63}$/;

export interface VerifierResult {
  verified: boolean;
  userId: string | null;
  tokenId: string | null;
  expiresAt: string | null;
  binding: string | null;
  reason: string | null;
  detail: string | null;
}

/** What crossed the wire, for the page's "what the bot sent" panel. The token is shortened, never shown whole. */
export interface VerifyExchange {
  request: { token: string; userId?: string; sessionKey?: string };
  status: number | null;
  response: unknown;
}

export function refused(reason: string, detail: string | null): VerifierResult {
  return { verified: false, userId: null, tokenId: null, expiresAt: null, binding: null, reason, detail };
}

/** First and last characters and the length: enough to tell two tokens apart on screen, not enough to reuse one. */
export function shortenToken(token: string): string {
  return token.length <= 24 ? token : `${token.slice(0, 12)}…${token.slice(-8)} (${token.length} chars)`;
}

export class ServiceClient {
  constructor(
    private readonly serviceUrl: string,
    private readonly callerKey: string,
  ) {}

  async verify(
    token: string,
    userId: string | null,
    sessionKey: string | null,
  ): Promise<{ result: VerifierResult; exchange: VerifyExchange }> {
    const body: Record<string, string> = { token };
    if (userId !== null) body.userId = userId;
    if (sessionKey !== null) body.sessionKey = sessionKey;
    const exchange: VerifyExchange = {
      request: { ...body, token: shortenToken(token) },
      status: null,
      response: null,
    };
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.serviceUrl}/v1/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.callerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      return {
        result: refused(
          SERVICE_UNAVAILABLE,
          `The verification service could not be reached: ${(error as Error).message}`,
        ),
        exchange,
      };
    }
    exchange.status = response.status;
    let answer: unknown = null;
    try {
      answer = JSON.parse(text);
    } catch {
      // Handled below as an unexpected body.
    }
    exchange.response = answer;
    if (response.status !== 200) {
      const code = isRecord(answer) && typeof answer.error === 'string' ? ` (${answer.error})` : '';
      return {
        result: refused(SERVICE_UNAVAILABLE, `The verification service answered HTTP ${response.status}${code}.`),
        exchange,
      };
    }
    return { result: parseAnswer(answer, userId), exchange };
  }
}

/** The same rules as PrechatGuardVerifierClient.parse. */
export function parseAnswer(answer: unknown, requestedUserId: string | null): VerifierResult {
  if (!isRecord(answer) || typeof answer.valid !== 'boolean') {
    return refused(SERVICE_UNAVAILABLE, 'The verification service answered with an unexpected body.');
  }
  if (!answer.valid) {
    if (typeof answer.reason !== 'string' || !REASON_CODE.test(answer.reason)) {
      return refused(SERVICE_UNAVAILABLE, 'The verification service refused the token without a reason code.');
    }
    return refused(answer.reason, typeof answer.detail === 'string' ? answer.detail : null);
  }
  const userId = typeof answer.userId === 'string' ? answer.userId : null;
  if (userId === null || !/^005[0-9A-Za-z]{15}$/.test(userId)) {
    return refused(SERVICE_UNAVAILABLE, 'The verification service said valid but named no well-formed user id.');
  }
  // Defence in depth, as in Apex: never trust a different user than the chat record names.
  if (requestedUserId !== null && !sameUserId(requestedUserId, userId)) {
    return refused('user_mismatch', 'The verified user is not the user named on the chat record.');
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    verified: true,
    userId,
    tokenId: text(answer.tokenId),
    expiresAt: text(answer.expiresAt),
    binding: text(answer.binding),
    reason: null,
    detail: null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
