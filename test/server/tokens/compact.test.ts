import { decodeBase64url, parseCompactJws } from '../../../server/src/tokens/compact';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const token = (header: unknown, payload: unknown, signature = 'c2ln') => `${b64(header)}.${b64(payload)}.${signature}`;

describe('compact JWS parsing (docs/architecture.md §4.2 step 1)', () => {
  it('parses header, payload, signing input and signature', () => {
    const parsed = parseCompactJws(token({ alg: 'RS256' }, { sub: 'x' }));
    expect(parsed).toMatchObject({ header: { alg: 'RS256' }, payload: { sub: 'x' }, signature: Buffer.from('sig') });
  });

  it.each([
    ['two segments', 'a.b'],
    ['five segments (JWE)', 'a.b.c.d.e'],
    ['padding', token({ alg: 'RS256' }, { a: 1 }) + '='],
    ['whitespace', ' ' + token({ alg: 'RS256' }, { a: 1 })],
    ['standard base64 characters', token({ alg: 'RS256' }, { a: 1 }, 'ab+/')],
    ['an empty signature', token({ alg: 'RS256' }, { a: 1 }, '')],
    ['a header that is not JSON', `${b64('nope')}.${b64({})}.c2ln`],
    ['a header that is an array', token([1], {})],
    ['a payload that is null', token({ alg: 'RS256' }, 'null')],
    ['a payload that is a string', token({ alg: 'RS256' }, '"x"')],
    ['invalid UTF-8', `${b64({ alg: 'RS256' })}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.c2ln`],
    ['a crit header', token({ alg: 'RS256', crit: ['exp'] }, {})],
    ['b64 false', token({ alg: 'RS256', b64: false }, {})],
    ['a non-canonical final character', token({ alg: 'RS256' }, {}, 'c2lnZB')],
  ])('is malformed with %s', (_name, value) => {
    expect(parseCompactJws(value)).toMatchObject({ valid: false, reason: 'malformed' });
  });

  it('decodes UTF-8 afresh for every token: a malformed one leaves nothing behind for the next', () => {
    // An incomplete multi-byte sequence at the end of one payload must not join the start of the next one.
    const truncated = `${b64({ alg: 'RS256' })}.${Buffer.from([0x7b, 0x7d, 0xe2, 0x82]).toString('base64url')}.c2ln`;
    expect(parseCompactJws(truncated)).toMatchObject({ valid: false, reason: 'malformed' });
    const parsed = parseCompactJws(token({ alg: 'RS256' }, { name: '€ café' }));
    expect(parsed).toMatchObject({ payload: { name: '€ café' } });
    expect(parseCompactJws(truncated)).toMatchObject({ valid: false, reason: 'malformed' });
  });

  it('rejects non-canonical base64url', () => {
    expect(decodeBase64url('QQ')).toEqual(Buffer.from('A'));
    expect(decodeBase64url('QR')).toBeNull(); // trailing bits set
    expect(decodeBase64url('Q')).toBeNull();
  });
});
