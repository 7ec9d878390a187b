// Session binding: the first verified use of a token with a session key binds its jti to that key (docs/architecture.md §5).
import { sha256Base64url128 } from '../sha256';

export interface Binding {
  /** Digest of the session key (see sessionDigest): stores never hold chat record ids, and compare in fixed size. */
  sessionDigest: string;
  /** End of the binding (ms since epoch): first use + session lifetime, never extended. */
  expiresAtMs: number;
}

export interface BindingStore {
  readonly kind: 'memory' | 'redis';
  /** The live binding of a token key, or null. */
  get(tokenKey: string, nowMs: number): Promise<Binding | null>;
  /**
   * Binds the token key to the session digest if it is not bound yet, in one atomic set-if-absent.
   * Returns the binding that holds afterwards: ours when we won, the earlier one when somebody else did.
   */
  bindIfAbsent(tokenKey: string, binding: Binding, nowMs: number): Promise<{ created: boolean; binding: Binding }>;
  /** Resolves once the store can answer (bounded wait); false when it could not connect in time. */
  ready?(timeoutMs?: number): Promise<boolean>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
}

export const DIGEST_BYTES = 16;

/** 128 bits of SHA-256, base64url (22 characters): collision-free for any realistic number of live bindings. */
export function digest128(value: string): string {
  return sha256Base64url128(value);
}

export function sessionDigest(sessionKey: string): string {
  return digest128('session\n' + sessionKey);
}

/** Stored values are `<expiresAtMs>|<sessionDigest>`. */
export function encodeBinding(binding: Binding): string {
  return `${binding.expiresAtMs}|${binding.sessionDigest}`;
}

export function decodeBinding(value: string): Binding | null {
  const bar = value.indexOf('|');
  if (bar <= 0) return null;
  const expiresAtMs = Number(value.slice(0, bar));
  if (!Number.isSafeInteger(expiresAtMs)) return null;
  return { expiresAtMs, sessionDigest: value.slice(bar + 1) };
}
