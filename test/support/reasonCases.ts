// One token per reason code (docs/architecture.md §4.2), shared by every endpoint that answers with reason codes (/v1/verify, the Amazon
// Connect exchange). Keys: the trusted org key (kid "org-key-1"), an expired trusted key (kid "old-key"), and a foreign
// key that claims the trusted kid.
import { NOW_MS, NOW_S, OTHER_USER_18, claims, mint, signRaw, testKey, type TestKey } from './fixtures';

export const reasonKeys = {
  key: testKey('org-key-1'),
  foreignKey: testKey('org-key-1', { label: 'foreign' }),
  expiredKey: testKey('old-key', {
    notBefore: new Date(NOW_MS - 400 * 86_400_000),
    notAfter: new Date(NOW_MS - 86_400_000),
  }),
};

export type ReasonCase = [reason: string, makeToken: () => string, extra?: Record<string, unknown>];

export function reasonCases({ key, foreignKey, expiredKey }: Record<keyof typeof reasonKeys, TestKey> = reasonKeys) {
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const cases: ReasonCase[] = [
    ['malformed', () => 'not-a-token'],
    ['malformed', () => signRaw(key, header, claims({ sub: '001000000000001AAA' }))],
    ['unsupported_algorithm', () => signRaw(key, { ...header, alg: 'RS512' }, claims(), 'sha512')],
    ['unsupported_algorithm', () => signRaw(key, { ...header, alg: 'HS256' }, claims())],
    ['unknown_key', () => signRaw(key, { ...header, kid: 'nobody' }, claims())],
    ['key_expired', () => signRaw(expiredKey, { ...header, kid: expiredKey.kid }, claims())],
    ['bad_signature', () => signRaw(foreignKey, header, claims())],
    ['missing_claim', () => signRaw(key, header, claims({ jti: undefined }))],
    ['wrong_issuer', () => signRaw(key, header, claims({ iss: '00D000000000009AAA' }))],
    ['wrong_audience', () => signRaw(key, header, claims({ aud: 'someone-else' }))],
    ['not_yet_valid', () => signRaw(key, header, claims({ iat: NOW_S + 31, nbf: NOW_S + 31, exp: NOW_S + 331 }))],
    ['user_mismatch', () => mint(key), { userId: OTHER_USER_18 }],
    ['expired', () => signRaw(key, header, claims({ iat: NOW_S - 330, nbf: NOW_S - 330, exp: NOW_S - 30 }))],
    ['too_old', () => signRaw(key, header, claims({ iat: NOW_S - 700, exp: NOW_S + 100 }))],
    ['too_old', () => signRaw(key, header, claims({ exp: NOW_S + 3601 }))],
    ['legacy_disabled', () => Buffer.alloc(256, 7).toString('base64')],
  ];
  return cases;
}
