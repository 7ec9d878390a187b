// API-key callers: the presented key is hashed and compared, in constant time, with every configured digest.
import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../config';

export function matchesApiKey(presented: string, digests: readonly Buffer[]): boolean {
  const digest = sha256(presented);
  let match = false;
  // No early exit: the time taken does not say which key (or whether any) matched.
  for (const candidate of digests) {
    if (timingSafeEqual(digest, candidate)) match = true;
  }
  return match;
}
