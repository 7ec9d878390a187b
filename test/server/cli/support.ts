// Shared by the CLI tests: an in-memory Io with a frozen clock, and a look inside a token's payload.
import type { Io } from '../../../server/src/cli/main';
import { NOW_MS } from '../../support/fixtures';

export interface CapturedIo {
  io: Io;
  out: string[];
  err: string[];
  /** Everything written to standard output, one line per write. */
  text: () => string;
  /** Everything written to standard error. */
  errors: () => string;
}

export function captureIo(env: Record<string, string>, stdin = '', nowMs = NOW_MS): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env, now: () => nowMs, stdin: () => stdin };
  return { io, out, err, text: () => out.join('\n'), errors: () => err.join('\n') };
}

export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
