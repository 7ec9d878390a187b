import { checksumSuffix, sameUserId, toId18, toUserId18 } from '../../../server/src/tokens/salesforceId';

describe('Salesforce ids', () => {
  it('computes the case-checksum suffix', () => {
    expect(checksumSuffix('005000000000001')).toBe('AAA');
    // Upper-case letters set bits per 5-character block: 'A' at position 0 of block 1 → bit 0 → 'B'.
    expect(checksumSuffix('A05000000000001')).toBe('BAA');
    expect(checksumSuffix('005Dn000001ABCD')).toBe('IA4');
    expect(checksumSuffix('ABCDEABCDEABCDE')).toBe('555');
  });

  it('converts 15 → 18 and accepts only a correct 18-character checksum', () => {
    expect(toId18('005000000000001')).toBe('005000000000001AAA');
    expect(toId18('005000000000001AAA')).toBe('005000000000001AAA');
    expect(toId18('005000000000001AAB')).toBeNull();
    expect(toId18('005000000000001aaa')).toBeNull();
    expect(toId18('00500000000001')).toBeNull();
    expect(toId18('005000000000001-AA')).toBeNull();
  });

  it('accepts only User ids (key prefix 005)', () => {
    expect(toUserId18('005000000000001')).toBe('005000000000001AAA');
    expect(toUserId18('003000000000001')).toBeNull();
    expect(toUserId18(5)).toBeNull();
    expect(toUserId18(null)).toBeNull();
  });

  it('compares the first 15 characters case-sensitively', () => {
    expect(sameUserId('005000000000001', '005000000000001AAA')).toBe(true);
    expect(sameUserId('005000000000001AAA', '005000000000001AAA')).toBe(true);
    expect(sameUserId('005000000000001aaa', '005000000000001AAA')).toBe(false);
    expect(sameUserId('005DN000001ABCD', '005Dn000001ABCDIA4')).toBe(false);
    expect(sameUserId('005000000000002', '005000000000001AAA')).toBe(false);
    expect(sameUserId('not an id', '005000000000001AAA')).toBe(false);
  });
});
