import { checkClaims } from '../../../server/src/tokens/claims';
import { AUDIENCE, ISSUER, USER_15, USER_18, claims } from '../../support/fixtures';

const expected = { issuer: ISSUER, audience: AUDIENCE };

describe('claims (docs/architecture.md §4.2 steps 6–9)', () => {
  it('accepts well-formed claims and normalises sub to 18 characters', () => {
    expect(checkClaims(claims({ sub: USER_15 }), expected)).toMatchObject({ subject18: USER_18, jti: 'test-jti-0001' });
  });

  it.each(['iss', 'aud', 'sub', 'iat', 'exp', 'jti'])('missing_claim without %s (absent or null)', (name) => {
    expect(checkClaims(claims({ [name]: undefined }), expected)).toMatchObject({ reason: 'missing_claim' });
    expect(checkClaims(claims({ [name]: null }), expected)).toMatchObject({ reason: 'missing_claim' });
  });

  it.each([
    ['iat as a string', { iat: '1795000000' }],
    ['exp as a float', { exp: 1795000000.5 }],
    ['negative iat', { iat: -1 }],
    ['nbf as a string', { nbf: 'now' }],
    ['huge exp', { exp: 1e300 }],
    ['jti empty', { jti: '' }],
    ['jti a number', { jti: 12 }],
    ['jti too long', { jti: 'j'.repeat(256) }],
    ['sub of another object type', { sub: '003000000000001AAA' }],
    ['sub with a wrong checksum', { sub: '005000000000001AAB' }],
  ])('malformed: %s', (_name, overrides) => {
    expect(checkClaims(claims(overrides), expected)).toMatchObject({ reason: 'malformed' });
  });

  it('checks missing claims before formats, formats before issuer, issuer before audience', () => {
    expect(checkClaims(claims({ jti: undefined, iat: 'x' }), expected)).toMatchObject({ reason: 'missing_claim' });
    expect(checkClaims(claims({ iat: 'x', iss: 'other' }), expected)).toMatchObject({ reason: 'malformed' });
    expect(checkClaims(claims({ iss: 'other', aud: 'other' }), expected)).toMatchObject({ reason: 'wrong_issuer' });
    expect(checkClaims(claims({ aud: ['a', 'b'] }), expected)).toMatchObject({ reason: 'wrong_audience' });
    expect(checkClaims(claims({ aud: AUDIENCE.toUpperCase() }), expected)).toMatchObject({ reason: 'wrong_audience' });
  });
});
