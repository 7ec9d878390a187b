// Explains a verification step by step (for `prechat-guard inspect`). The outcome comes from the real verifier;
// this only lays it out against the docs/architecture.md §4.2 checklist, so the two can never disagree.
import type { Outcome } from './outcome';
import type { Reason } from './reasons';
import { MAX_TOKEN_LIFETIME_S } from './verifier';

export interface CheckRow {
  step: number;
  check: string;
  reason: Reason;
  status: 'pass' | 'fail' | 'not reached' | 'skipped';
}

export const CHECKLIST: ReadonlyArray<Omit<CheckRow, 'status'>> = [
  { step: 1, check: 'three base64url segments, JSON header and payload, no crit, b64 not false', reason: 'malformed' },
  { step: 2, check: 'alg is an accepted RSA algorithm', reason: 'unsupported_algorithm' },
  { step: 3, check: 'kid names a trusted key', reason: 'unknown_key' },
  { step: 4, check: "key's certificate is inside its validity period", reason: 'key_expired' },
  { step: 5, check: 'signature valid with that key', reason: 'bad_signature' },
  { step: 6, check: 'iss, aud, sub, iat, exp, jti present', reason: 'missing_claim' },
  { step: 7, check: 'claim formats (timestamps, jti, sub is a user id)', reason: 'malformed' },
  { step: 8, check: 'iss is the configured issuer', reason: 'wrong_issuer' },
  { step: 9, check: 'aud contains the configured audience', reason: 'wrong_audience' },
  { step: 10, check: 'iat and nbf not in the future', reason: 'not_yet_valid' },
  { step: 11, check: 'userId (if given) is the token subject', reason: 'user_mismatch' },
  { step: 12, check: 'session binding', reason: 'replayed' },
  { step: 13, check: 'not expired', reason: 'expired' },
  { step: 14, check: `not too old, lifetime ≤ ${MAX_TOKEN_LIFETIME_S} s`, reason: 'too_old' },
];

/** `structureOk`: whether step 1 passed (tells a step-7 `malformed` from a step-1 one). */
export function explainOutcome(
  outcome: Outcome,
  options: { structureOk: boolean; userIdGiven: boolean; bindingChecked: boolean },
): CheckRow[] {
  let failedStep: number | null = null;
  if (!outcome.valid) {
    failedStep =
      outcome.reason === 'malformed'
        ? options.structureOk
          ? 7
          : 1
        : (CHECKLIST.find((row) => row.reason === outcome.reason)?.step ?? 1);
  }
  return CHECKLIST.map((row) => {
    let status: CheckRow['status'];
    if (failedStep !== null && row.step > failedStep) status = 'not reached';
    else if (row.step === failedStep) status = 'fail';
    else if ((row.step === 11 && !options.userIdGiven) || (row.step === 12 && !options.bindingChecked)) {
      status = 'skipped';
    } else status = 'pass';
    return { ...row, status };
  });
}
