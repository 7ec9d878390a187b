// API-key callers: the presented key is hashed and compared, in constant time, with every configured digest.
import { timingSafeEqual } from 'node:crypto';
import { sha256Bytes } from '../sha256';

/** The configured digest the presented key matches, or null. */
export function matchingApiKey(presented: string, digests: readonly Buffer[]): Buffer | null {
  const digest = sha256Bytes(presented);
  let match: Buffer | null = null;
  // No early exit: the time taken does not say which key (or whether any) matched.
  for (const candidate of digests) {
    if (timingSafeEqual(digest, candidate)) match = candidate;
  }
  return match;
}
