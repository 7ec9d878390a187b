import { bodyFor, readLines, sessionKeyFor, tokenLines } from '../../../bench/lib/bodies';

describe('bodyFor', () => {
  it('builds the same bodies as the wrk script', () => {
    expect(bodyFor('token', 'a.b.c')).toBe('{"token":"a.b.c"}');
    expect(bodyFor('token-and-session', 'a.b.c 0Mw5g0000000000007')).toBe(
      '{"token":"a.b.c","sessionKey":"0Mw5g0000000000007"}',
    );
  });

  it('refuses a session line without a session key', () => {
    expect(() => bodyFor('token-and-session', 'a.b.c')).toThrow('has no session key');
  });
});

describe('token files', () => {
  it('gives every token its own session key, continuing from the first index', () => {
    expect(tokenLines(['t1', 't2'], 41)).toBe('t1 0Mw5g0000000000041\nt2 0Mw5g0000000000042\n');
    expect(sessionKeyFor(0)).toHaveLength(18);
  });

  it('refuses an index that has no session key', () => {
    expect(() => sessionKeyFor(-1)).toThrow('no session key');
    expect(() => sessionKeyFor(1.5)).toThrow('no session key');
  });

  it('reads lines back without the empty last one', () => {
    expect(readLines('a\nb\n')).toEqual(['a', 'b']);
  });
});
