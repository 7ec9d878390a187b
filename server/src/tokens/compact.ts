// Step 1 of docs/architecture.md §4.2: a compact JWS of three base64url segments whose header and payload are JSON objects.
import { reject, type Rejected } from './outcome';

export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Fatal UTF-8 decoding: invalid byte sequences are malformed, not silently replaced. One decoder for every token: a
// decode() without { stream: true } keeps no state between calls, and building a TextDecoder costs more than using it.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict base64url: its alphabet only, no padding, and canonical (re-encodes to the same text). */
export function decodeBase64url(segment: string): Buffer | null {
  if (!BASE64URL.test(segment)) return null;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : null;
}

function jsonObject(bytes: Buffer): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function parseCompactJws(token: string): ParsedJws | Rejected {
  const parts = token.split('.');
  if (parts.length !== 3) return reject('malformed', 'The token is not a compact JWS of three dot-separated parts.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const headerBytes = decodeBase64url(headerPart);
  const payloadBytes = decodeBase64url(payloadPart);
  const signature = decodeBase64url(signaturePart);
  if (!headerBytes || !payloadBytes || !signature) {
    return reject('malformed', 'A token segment is not canonical base64url (no padding, spaces or other characters).');
  }
  const header = jsonObject(headerBytes);
  if (!header) return reject('malformed', 'The token header is not a JSON object.');
  const payload = jsonObject(payloadBytes);
  if (!payload) return reject('malformed', 'The token payload is not a JSON object.');
  if (Object.hasOwn(header, 'crit')) {
    // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject the JWS.
    return reject(
      'malformed',
      'The token header lists critical extensions (crit) that this service does not implement.',
    );
  }
  if (Object.hasOwn(header, 'b64') && header.b64 === false) {
    return reject('malformed', 'Unencoded payloads (b64: false) are not accepted.');
  }
  return { header, payload, signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), signature };
}
