// The attribute mapping: string-only values, the verified user id for `sub`, absent claims left out, no prototype reads.
import { contactAttributes } from '../../../server/src/connect/attributes';
import type { Verified } from '../../../server/src/tokens/outcome';

function identity(claims: Record<string, unknown>): Verified {
  return {
    valid: true,
    userId: '005000000000001AAA',
    issuer: '00D000000000001AAA',
    tokenId: 'jti-1',
    expiresAt: '2026-11-23T12:05:00.000Z',
    binding: 'none',
    claims,
  };
}

describe('contactAttributes', () => {
  it('maps sub to the verified 18-character user id even when the token carries the 15-character form', () => {
    expect(contactAttributes([{ attribute: 'userId', claim: 'sub' }], identity({ sub: '005000000000001' }))).toEqual({
      userId: '005000000000001AAA',
    });
  });

  it('sends every value as a string: numbers, booleans, arrays and objects', () => {
    const attributes = contactAttributes(
      [
        { attribute: 'contactId', claim: 'contact_id' },
        { attribute: 'issuedAt', claim: 'iat' },
        { attribute: 'premium', claim: 'premium' },
        { attribute: 'audience', claim: 'aud' },
        { attribute: 'address', claim: 'address' },
        { attribute: 'empty', claim: 'empty' },
      ],
      identity({
        contact_id: '003000000000001AAA',
        iat: 1795435200,
        premium: true,
        aud: ['a', 'prechat-guard'],
        address: { city: 'Lyon' },
        empty: '',
      }),
    );
    expect(attributes).toEqual({
      contactId: '003000000000001AAA',
      issuedAt: '1795435200',
      premium: 'true',
      audience: '["a","prechat-guard"]',
      address: '{"city":"Lyon"}',
      empty: '',
    });
    for (const value of Object.values(attributes)) expect(typeof value).toBe('string');
  });

  it('leaves out claims the token does not carry or carries as null', () => {
    const attributes = contactAttributes(
      [
        { attribute: 'userId', claim: 'sub' },
        { attribute: 'contactId', claim: 'contact_id' },
        { attribute: 'accountId', claim: 'account_id' },
      ],
      identity({ sub: '005000000000001AAA', account_id: null }),
    );
    expect(attributes).toEqual({ userId: '005000000000001AAA' });
  });

  it('never reads the object prototype and keeps a "__proto__" attribute as plain data', () => {
    const attributes = contactAttributes(
      [
        { attribute: 'a', claim: 'constructor' },
        { attribute: 'b', claim: '__proto__' },
        { attribute: '__proto__', claim: 'locale' },
      ],
      identity({ locale: 'fr_FR' }),
    );
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(JSON.stringify(attributes)).toBe('{"__proto__":"fr_FR"}');
  });
});
