// Shared identity service module for the prechat-guard components: asks Apex for the signed-in user's id and a
// short-lived identity token, keeps it until shortly before it expires, and turns every failure into one IdentityError
// with a stable code and a sentence a person can act on. It never logs or renders the token.
//
// The Apex method is named here and nowhere else. Platform access is limited to two imports — the Apex method and
// `@salesforce/user/isGuest` — so a browser demo can swap the modules (or pass its own `fetchIdentity` and `isGuest`).
//
// Guests never reach Apex: only members get the permission set for the controller, so a guest's call could only fail
// (and show an error box instead of an anonymous chat). The platform already knows who is a guest; we ask it first.
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import platformIsGuest from '@salesforce/user/isGuest';

/** The raw Apex answer, before validation. */
export type IdentityFetcher = () => Promise<unknown>;

export interface SignedInIdentity {
  kind: 'user';
  /** 18-character user id, exactly as Apex returned it. */
  userId: string;
  /** Compact JWS, exactly as Apex returned it. */
  token: string;
  /** The token's expiry as Apex reported it (ISO 8601). */
  expiresAt: string;
  firstName: string | null;
  /** Local clock time (ms) after which the token counts as "about to expire" and is fetched again. */
  refreshAt: number;
}

export interface GuestIdentity {
  kind: 'guest';
}

export type ChatIdentity = SignedInIdentity | GuestIdentity;

export type IdentityErrorCode = 'apex_error' | 'invalid_response' | 'timeout';

const USER_MESSAGES: Record<IdentityErrorCode, string> = {
  apex_error: "We couldn't confirm that you're signed in, so chat can't pass your identity on. Please try again.",
  invalid_response:
    "We couldn't read your sign-in details for chat. Please try again, and tell us if it keeps happening.",
  timeout: 'Confirming your sign-in for chat took too long. Please check your connection and try again.',
};

/** One error type for every identity failure: `code` for programs, `message` for people. */
export class IdentityError extends Error {
  readonly code: IdentityErrorCode;

  constructor(code: IdentityErrorCode) {
    super(USER_MESSAGES[code]);
    this.name = 'IdentityError';
    this.code = code;
  }
}

/** Any thrown value → IdentityError. Apex details (`body.message`) are deliberately not shown: they are for admins. */
export function toIdentityError(error: unknown): IdentityError {
  return error instanceof IdentityError ? error : new IdentityError('apex_error');
}

export interface IdentityClientOptions {
  /** Defaults to the Apex method. */
  fetchIdentity?: IdentityFetcher;
  /**
   * Whether the visitor is the site's guest user. Defaults to `@salesforce/user/isGuest`, which is fixed for the page's
   * lifetime (signing in or out loads a new page). When true, every call answers `{ kind: 'guest' }` without fetching.
   */
  isGuest?: boolean;
  /** Defaults to Date.now. */
  now?: () => number;
  /** How long before expiry a token counts as stale. Capped at a fifth of the token's lifetime. Default 60 s. */
  refreshMarginMs?: number;
  /** Give up on Apex after this long; below Enhanced Chat's 30 s token-renewal window. Default 20 s. */
  timeoutMs?: number;
}

const USER_ID = /^005[0-9A-Za-z]{15}$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const DEFAULT_REFRESH_MARGIN_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 20_000;
/** Never schedule refreshes closer than this, whatever the clocks say. */
const MIN_LIFETIME_MS = 5_000;
const GUEST: GuestIdentity = Object.freeze({ kind: 'guest' });

export class IdentityClient {
  private readonly fetchIdentity: IdentityFetcher;
  private readonly isGuest: boolean;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly timeoutMs: number;
  private cached: ChatIdentity | undefined;
  private inflight: Promise<ChatIdentity> | undefined;

  constructor(options: IdentityClientOptions = {}) {
    this.fetchIdentity = options.fetchIdentity ?? getIdentity;
    // Strictly `true`: anything else (a missing or odd platform value) still asks Apex, which decides for itself.
    this.isGuest = (options.isGuest ?? platformIsGuest) === true;
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The current identity: the cached one while it is fresh, otherwise a new one from Apex (never for a guest). */
  get(): Promise<ChatIdentity> {
    if (this.isGuest) {
      return Promise.resolve(GUEST);
    }
    const cached = this.cached;
    if (cached && !this.isStale(cached)) {
      return Promise.resolve(cached);
    }
    return this.refresh();
  }

  /** Always asks Apex (concurrent callers share one request), except for a guest. A failure drops the cached identity. */
  refresh(): Promise<ChatIdentity> {
    if (this.isGuest) {
      return Promise.resolve(GUEST);
    }
    if (!this.inflight) {
      this.inflight = this.load().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** True when a signed-in identity is inside its refresh margin (guests never go stale). */
  isStale(identity: ChatIdentity): boolean {
    return identity.kind === 'user' && this.now() >= identity.refreshAt;
  }

  /** Forget the cached identity (logout). */
  clear(): void {
    this.cached = undefined;
  }

  private async load(): Promise<ChatIdentity> {
    let raw: unknown;
    try {
      raw = await this.withTimeout(this.fetchIdentity());
    } catch (error) {
      this.cached = undefined;
      throw toIdentityError(error);
    }
    const receivedAt = this.now();
    const identity = parseIdentity(raw, receivedAt, this.refreshMarginMs);
    this.cached = identity ?? undefined;
    if (!identity) {
      throw new IdentityError('invalid_response');
    }
    return identity;
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Apex calls have no timeout of their own, and user verification needs an answer within 30 s.
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- cleared as soon as the Apex call settles
      const timer = setTimeout(() => reject(new IdentityError('timeout')), this.timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

/** Validates the Apex answer; null when it does not match the contract. */
export function parseIdentity(raw: unknown, receivedAt: number, refreshMarginMs: number): ChatIdentity | null {
  if (!isRecord(raw) || typeof raw.loggedIn !== 'boolean') {
    return null;
  }
  if (!raw.loggedIn) {
    return { kind: 'guest' };
  }
  const { userId, token, expiresAt, firstName } = raw;
  if (typeof userId !== 'string' || !USER_ID.test(userId)) return null;
  if (typeof token !== 'string' || !COMPACT_JWS.test(token)) return null;
  if (typeof expiresAt !== 'string' || !Number.isFinite(Date.parse(expiresAt))) return null;
  const lifetimeMs = Math.max(tokenLifetimeMs(token) ?? Date.parse(expiresAt) - receivedAt, MIN_LIFETIME_MS);
  const marginMs = Math.min(refreshMarginMs, lifetimeMs / 5);
  return {
    kind: 'user',
    userId,
    token,
    expiresAt,
    firstName: typeof firstName === 'string' && firstName.trim() !== '' ? firstName : null,
    refreshAt: receivedAt + lifetimeMs - marginMs,
  };
}

/**
 * exp − iat from the token's own payload. Counting the lifetime from when the token arrived (rather than comparing
 * `expiresAt` with the browser clock) keeps refreshes on time when the visitor's clock is wrong.
 */
function tokenLifetimeMs(token: string): number | null {
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(token.split('.')[1] ?? ''));
    if (isRecord(payload) && typeof payload.iat === 'number' && typeof payload.exp === 'number') {
      const seconds = payload.exp - payload.iat;
      return seconds > 0 ? seconds * 1000 : null;
    }
  } catch {
    // Not decodable: fall back to expiresAt.
  }
  return null;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  return atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
