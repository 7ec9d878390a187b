// Legacy token v1 (docs/architecture.md §4.3): base64 RSA-SHA256 signature over the user id, as the classic blog's Apex produces.
// No expiry, no binding: accepted only when PRECHAT_GUARD_LEGACY=accept, and documented as replayable.
import { verify as rsaVerify, constants } from 'node:crypto';
import type { TrustedKey } from '../keys/certificate';
import { HttpError } from '../httpErrors';
import { reject, type Outcome } from './outcome';
import { toUserId18 } from './salesforceId';

const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The signature bytes when the token looks like a v1 token: no dot, standard base64 of an RSA-2048/4096 signature. */
export function legacySignature(token: string): Buffer | null {
  if (token.includes('.') || token.length % 4 !== 0 || !STANDARD_BASE64.test(token)) return null;
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) return null;
  return bytes.length === 256 || bytes.length === 512 ? bytes : null;
}

export function verifyLegacy(signature: Buffer, userId: string | undefined, keys: TrustedKey[]): Outcome {
  if (userId === undefined) {
    throw new HttpError('missing_field', 'A legacy (v1) token can only be checked together with "userId".');
  }
  const id18 = toUserId18(userId);
  if (id18 === null) return reject('malformed', 'The "userId" sent with a legacy token is not a well-formed user id.');
  // The blog signs whatever UserInfo.getUserId() returned; accept the id as sent first, then its other form.
  const candidates = [...new Set([userId, userId.length === 18 ? userId.slice(0, 15) : id18])];
  for (const key of keys) {
    for (const candidate of candidates) {
      const ok = rsaVerify(
        'sha256',
        Buffer.from(candidate, 'utf8'),
        { key: key.publicKey, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
      if (ok) {
        return {
          valid: true,
          userId: id18,
          issuer: null,
          tokenId: null,
          expiresAt: null,
          binding: 'none',
          claims: {},
          legacy: true,
        };
      }
    }
  }
  return reject('bad_signature', 'The legacy signature does not match this user id under any trusted certificate.');
}
