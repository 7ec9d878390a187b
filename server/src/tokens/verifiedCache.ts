// Cache of tokens whose time-independent checks (docs/architecture.md §4.2 steps 1–9) passed, keyed by a hash of the token. It saves the
// RSA work when a bot re-verifies the same token in the same chat; the time rules and the binding check still run on
// every request. An entry never outlives the token's exp or its binding, and dies with a trust-store reload.
import type { CheckedClaims } from './claims';

export interface CachedToken {
  kid: string;
  generation: number;
  checked: CheckedClaims;
  /** The binding-store key of the token's issuer and jti (a digest, so derived once rather than per request). */
  bindingKey: string;
  // Plain fields rather than small objects (100k cached tokens are the bulk of the heap), set from the start so that
  // every entry keeps one shape.
  /** The session key last presented with this token and its digest: a bot re-verifying in one chat hashes it once. */
  sessionKey: string | null;
  sessionDigest: string;
  /** The last end time answered for this token (ms), and its ISO 8601 text: formatting a Date costs more. */
  expiresAtMs: number;
  expiresAtIso: string;
  /** Drop the entry after this time (ms): exp + tolerance, or the end of the binding once bound. */
  deadlineMs: number;
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, CachedToken>();

  constructor(private readonly maxEntries: number) {}

  get(tokenHash: string, generation: number, nowMs: number): CachedToken | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.generation !== generation || entry.deadlineMs <= nowMs) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  set(tokenHash: string, entry: CachedToken): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, entry);
  }

  extend(tokenHash: string, deadlineMs: number): void {
    const entry = this.entries.get(tokenHash);
    if (entry && deadlineMs > entry.deadlineMs) entry.deadlineMs = deadlineMs;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
