// The Amazon Connect contact JWT: HS256 over the UTF-8 bytes of the widget's security key, header exactly
// {"alg":"HS256","typ":"JWT"}, claims sub (widget id), iat, exp, attributes. Built by hand so the bytes are fixed.
import { createHmac } from 'node:crypto';

/** Amazon Connect refuses encoded tokens larger than this. */
export const MAX_CONTACT_TOKEN_BYTES = 6144;
/** Amazon Connect accepts at most 10 minutes between iat and exp. */
export const MAX_CONTACT_TOKEN_TTL_S = 600;

const HEADER_B64 = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface ContactTokenInput {
  widgetId: string;
  /** The first configured security key: it signs. */
  securityKey: string;
  nowSeconds: number;
  ttlSeconds: number;
  attributes: Record<string, string>;
}

export interface ContactToken {
  token: string;
  /** exp, in seconds since the epoch. */
  expiresAt: number;
  bytes: number;
}

export class ContactTokenTooLargeError extends Error {
  readonly code = 'contact_token_too_large';
  constructor(readonly bytes: number) {
    super(
      `The Amazon Connect contact token would be ${bytes} bytes; Amazon Connect accepts at most ` +
        `${MAX_CONTACT_TOKEN_BYTES}. Map fewer or shorter claims in PRECHAT_GUARD_CONNECT_ATTRIBUTES.`,
    );
    this.name = 'ContactTokenTooLargeError';
  }
}

/** Signs the contact token; throws ContactTokenTooLargeError instead of returning a token Connect would refuse. */
export function signContactToken(input: ContactTokenInput): ContactToken {
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > MAX_CONTACT_TOKEN_TTL_S) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to ${MAX_CONTACT_TOKEN_TTL_S}`);
  }
  const iat = Math.floor(input.nowSeconds);
  const exp = iat + input.ttlSeconds;
  const payload = { sub: input.widgetId, iat, exp, attributes: input.attributes };
  const signingInput = `${HEADER_B64}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = createHmac('sha256', Buffer.from(input.securityKey, 'utf8')).update(signingInput).digest();
  const token = `${signingInput}.${signature.toString('base64url')}`;
  const bytes = Buffer.byteLength(token, 'utf8');
  if (bytes > MAX_CONTACT_TOKEN_BYTES) throw new ContactTokenTooLargeError(bytes);
  return { token, expiresAt: exp, bytes };
}
