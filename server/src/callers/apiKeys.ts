// API-key callers: the presented key is hashed and compared, in constant time, with every configured digest.
import { createHash, timingSafeEqual } from 'node:crypto';

export function matchesApiKey(presented: string, digests: readonly Buffer[]): boolean {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let match = false;
  // No early exit: the time taken does not say which key (or whether any) matched.
  for (const candidate of digests) {
    if (timingSafeEqual(digest, candidate)) match = true;
  }
  return match;
}
