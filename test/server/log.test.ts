// Log helpers: the token fingerprint, however it is computed, and whether a level writes at all.
import pino from 'pino';
import { logsAt, tokenFingerprint, tokenFingerprintOfHash } from '../../server/src/log';
import { tokenHashOf } from '../../server/src/tokens/verifier';
import { CALLER_KEY, mint, testKey } from '../support/fixtures';

describe('token fingerprint', () => {
  it('is the same from the token and from the verifier token hash', () => {
    for (const token of [mint(testKey('log')), 'not-a-token', 'ünïcödé']) {
      expect(tokenFingerprintOfHash(tokenHashOf(token))).toBe(tokenFingerprint(token));
      expect(tokenFingerprint(token)).toMatch(/^sha256:[0-9a-f]{12}$/);
    }
    expect(tokenFingerprint('a')).not.toBe(tokenFingerprint('b'));
  });

  it('never contains the token', () => {
    expect(tokenFingerprint(CALLER_KEY)).not.toContain(CALLER_KEY.slice(0, 6));
  });
});

describe('logsAt', () => {
  it('follows the level of a pino logger', () => {
    const destination = { write: () => undefined };
    expect(logsAt(pino({ level: 'info' }, destination), 'info')).toBe(true);
    expect(logsAt(pino({ level: 'debug' }, destination), 'info')).toBe(true);
    expect(logsAt(pino({ level: 'warn' }, destination), 'info')).toBe(false);
    expect(logsAt(pino({ level: 'silent' }, destination), 'info')).toBe(false);
    expect(logsAt(pino({ level: 'warn' }, destination).child({ reqId: 'r' }), 'info')).toBe(false);
  });

  it('says yes for a logger that cannot tell (its lines go nowhere, so calling it costs nothing wrong)', () => {
    const silent = {
      info() {},
      error() {},
      debug() {},
      fatal() {},
      warn() {},
      trace() {},
      child: () => silent,
      level: 'x',
    };
    expect(logsAt(silent as never, 'info')).toBe(true);
  });
});
