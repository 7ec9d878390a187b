// Logging helpers: a token is never logged; a short hash names it so a log line can be matched to a request.
import type { FastifyBaseLogger } from 'fastify';
import type { Logger, LoggerOptions } from 'pino';
import { hexPrefixOfBase64urlDigest, sha256HexPrefix } from './sha256';

const FINGERPRINT_HEX_CHARS = 12;

export function tokenFingerprint(token: string): string {
  return 'sha256:' + sha256HexPrefix(token, FINGERPRINT_HEX_CHARS);
}

/** The same fingerprint from the token's SHA-256 already computed as base64url (the verifier's token hash). */
export function tokenFingerprintOfHash(tokenHash: string): string {
  return 'sha256:' + hexPrefixOfBase64urlDigest(tokenHash, FINGERPRINT_HEX_CHARS);
}

export const LOGGER_OPTIONS: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? 'info',
  // Credentials and bodies never reach a log line, whatever a caller sends.
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'token', 'body.token'],
    censor: '[redacted]',
  },
};

/** Whether a line at `level` would be written, so that its fields are only worked out when it is. */
export function logsAt(logger: FastifyBaseLogger, level: 'info'): boolean {
  // Fastify's logger when logging is off (tests) has no isLevelEnabled: its lines go nowhere, calling it is harmless.
  const pinoLogger = logger as Partial<Pick<Logger, 'isLevelEnabled'>>;
  return pinoLogger.isLevelEnabled === undefined || pinoLogger.isLevelEnabled(level);
}
