// "Logged in to the Experience Cloud site": an HttpOnly cookie naming a demo user, kept in memory.
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'pgdemo_sid';
const MAX_SESSIONS = 1000;

export class SiteSessions {
  /** Session id → signed-in user id, or null for a guest's session (made when a guest moves the demo clock). */
  private readonly sessions = new Map<string, string | null>();

  /** Starts a session for the user (null: a guest) and returns its cookie value. */
  open(userId: string | null): string {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const sid = randomBytes(24).toString('base64url');
    this.sessions.set(sid, userId);
    return sid;
  }

  /** The session id in the cookie, when it names a live session. */
  idOf(cookieHeader: string | undefined): string | null {
    const sid = readCookie(cookieHeader, SESSION_COOKIE);
    return sid !== null && this.sessions.has(sid) ? sid : null;
  }

  userIdOf(cookieHeader: string | undefined): string | null {
    const sid = readCookie(cookieHeader, SESSION_COOKIE);
    return sid === null ? null : (this.sessions.get(sid) ?? null);
  }

  close(cookieHeader: string | undefined): void {
    const sid = readCookie(cookieHeader, SESSION_COOKIE);
    if (sid !== null) this.sessions.delete(sid);
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export function sessionCookie(sid: string): string {
  return `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict`;
}

export function expiredSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
