// Steps 6–9 of docs/architecture.md §4.2: required claims, their formats, issuer and audience. Time-independent, so cacheable.
import { reject, type Rejected } from './outcome';
import { toUserId18 } from './salesforceId';

export const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'] as const;
export const MAX_JTI_LENGTH = 255;

export interface CheckedClaims {
  issuer: string;
  subject18: string;
  jti: string;
  iat: number;
  exp: number;
  nbf: number | null;
  claims: Record<string, unknown>;
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function checkClaims(
  payload: Record<string, unknown>,
  expected: { issuer: string; audience: string },
): CheckedClaims | Rejected {
  for (const claim of REQUIRED_CLAIMS) {
    if (!Object.hasOwn(payload, claim) || payload[claim] === undefined || payload[claim] === null) {
      return reject('missing_claim', `The token lacks the required claim "${claim}".`);
    }
  }
  const { iss, aud, sub, iat, exp, jti } = payload;
  for (const [name, value] of [
    ['iat', iat],
    ['exp', exp],
  ] as const) {
    if (!isTimestamp(value)) return reject('malformed', `The claim "${name}" must be a whole number of seconds ≥ 0.`);
  }
  const hasNbf = Object.hasOwn(payload, 'nbf');
  if (hasNbf && !isTimestamp(payload.nbf)) {
    return reject('malformed', 'The claim "nbf" must be a whole number of seconds ≥ 0.');
  }
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    return reject('malformed', `The claim "jti" must be a non-empty string of at most ${MAX_JTI_LENGTH} characters.`);
  }
  const subject18 = toUserId18(sub);
  if (subject18 === null) {
    return reject('malformed', 'The claim "sub" is not a well-formed Salesforce user id (005…, 15 or 18 characters).');
  }
  if (iss !== expected.issuer) return reject('wrong_issuer');
  const audienceOk = Array.isArray(aud) ? aud.includes(expected.audience) : aud === expected.audience;
  if (!audienceOk) return reject('wrong_audience');
  return {
    issuer: iss,
    subject18,
    jti,
    iat: iat as number,
    exp: exp as number,
    nbf: hasNbf ? (payload.nbf as number) : null,
    claims: payload,
  };
}
