// Logging helpers: a token is never logged; a short hash names it so a log line can be matched to a request.
import { createHash } from 'node:crypto';
import type { LoggerOptions } from 'pino';

export function tokenFingerprint(token: string): string {
  return 'sha256:' + createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export const LOGGER_OPTIONS: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? 'info',
  // Credentials and bodies never reach a log line, whatever a caller sends.
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'token', 'body.token'],
    censor: '[redacted]',
  },
};
