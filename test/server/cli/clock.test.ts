// inspect's reading of iat, nbf and exp draws the same lines as the verifier: at the tolerance's edge, the words and
// the verdict agree.
import { describeTime, formatDuration } from '../../../server/src/cli/clock';
import { NOW_MS, NOW_S } from '../../support/fixtures';

const rules = { nowMs: NOW_MS, toleranceSeconds: 30, maxTokenAgeSeconds: 600 };

describe('describeTime', () => {
  it('exp: in the future, inside the tolerance, at its edge, beyond it', () => {
    expect(describeTime('exp', NOW_S + 100, rules)).toMatch(/\(in 100 s\)$/);
    expect(describeTime('exp', NOW_S - 29, rules)).toMatch(/29 s ago; still accepted for 1 s: within the 30 s/);
    // The verifier refuses at now ≥ exp + tolerance.
    expect(describeTime('exp', NOW_S - 30, rules)).toMatch(/30 s ago: beyond the 30 s clock tolerance\)$/);
  });

  it('iat and nbf: in the future inside the tolerance (accepted), at its edge (accepted), beyond it', () => {
    expect(describeTime('nbf', NOW_S + 30, rules)).toMatch(/in 30 s; accepted: within the 30 s clock tolerance/);
    expect(describeTime('iat', NOW_S + 31, rules)).toMatch(
      /in 31 s: beyond the 30 s clock tolerance, so not yet valid/,
    );
  });

  it('iat: older than the maximum age plus the tolerance', () => {
    expect(describeTime('iat', NOW_S - 630, rules)).toMatch(/\(10 min ago\)$/);
    expect(describeTime('iat', NOW_S - 631, rules)).toMatch(/older than the maximum token age of 600 s plus the 30 s/);
  });

  it('prints the time in UTC', () => {
    expect(describeTime('iat', NOW_S, rules)).toBe('iat = 2026-11-23T12:00:00.000Z (now)');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [10.4, '10 s'],
    [-10.6, '11 s'],
    [119, '119 s'],
    [310, '5 min'],
    [7200, '2 h'],
    [3 * 86_400 + 5, '3 days'],
  ])('%s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
