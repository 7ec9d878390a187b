// Token files and the request bodies built from them. One line per request: "<token>" or "<token> <sessionKey>".
// The Node load generators build bodies with this; the wrk script builds the same bodies in Lua (bench/lib/wrkScript.ts).
import type { BodyShape } from './wrkScript';

export function bodyFor(shape: BodyShape, line: string): string {
  if (shape === 'token') return JSON.stringify({ token: line });
  const space = line.indexOf(' ');
  if (space < 0) throw new Error(`a token file line has no session key: "${line.slice(0, 40)}…"`);
  return JSON.stringify({ token: line.slice(0, space), sessionKey: line.slice(space + 1) });
}

/** A session key per token, shaped like a MessagingSession id (0Mw + 15 characters) and distinct per index. */
export function sessionKeyFor(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 1e12) throw new Error(`no session key for index ${index}`);
  return `0Mw5g0${String(index).padStart(12, '0')}`;
}

/** The lines of a token file: each token with its own session key (the session of a fresh chat). */
export function tokenLines(tokens: readonly string[], firstIndex: number): string {
  return tokens.map((token, i) => `${token} ${sessionKeyFor(firstIndex + i)}\n`).join('');
}

export function readLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
