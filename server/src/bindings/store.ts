// Session binding: the first verified use of a token with a session key binds its jti to that key (ARCHITECTURE §5).

export interface Binding {
  sessionKey: string;
  /** End of the binding (ms since epoch): first use + session lifetime, never extended. */
  expiresAtMs: number;
}

export interface BindingStore {
  readonly kind: 'memory' | 'redis';
  /** The live binding of a token id, or null. */
  get(tokenKey: string, nowMs: number): Promise<Binding | null>;
  /**
   * Binds the token id to the session key if it is not bound yet, in one atomic set-if-absent.
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

/** Stored values are `<expiresAtMs>|<sessionKey>`: compact, and the session key may contain any character. */
export function encodeBinding(binding: Binding): string {
  return `${binding.expiresAtMs}|${binding.sessionKey}`;
}

export function decodeBinding(value: string): Binding | null {
  const bar = value.indexOf('|');
  if (bar <= 0) return null;
  const expiresAtMs = Number(value.slice(0, bar));
  if (!Number.isSafeInteger(expiresAtMs)) return null;
  return { expiresAtMs, sessionKey: value.slice(bar + 1) };
}
