// The service's SHA-256 forms agree with Node's Hash API, byte for byte, on ASCII and non-ASCII input.
import { createHash } from 'node:crypto';
import {
  hexPrefixOfBase64urlDigest,
  sha256Base64url,
  sha256Base64url128,
  sha256Bytes,
  sha256HexPrefix,
} from '../../server/src/sha256';

const inputs = ['', 'abc', 'été ☕ \u{1F600}', 'x'.repeat(10_000), Buffer.from([0, 255, 1, 254])];
const reference = (value: string | Buffer) => createHash('sha256').update(value).digest();

describe('sha256 forms', () => {
  it.each(inputs.map((value) => [value]))('agree with createHash for %#', (value) => {
    const digest = reference(value);
    expect(sha256Bytes(value).equals(digest)).toBe(true);
    expect(sha256Base64url(value)).toBe(digest.toString('base64url'));
    expect(sha256Base64url128(value)).toBe(digest.subarray(0, 16).toString('base64url'));
    expect(sha256Base64url128(value)).toHaveLength(22);
    for (const chars of [1, 12, 16, 64])
      expect(sha256HexPrefix(value, chars)).toBe(digest.toString('hex').slice(0, chars));
  });

  it('reads a hex prefix off a base64url digest, for every prefix length', () => {
    const digest = reference('token');
    for (let chars = 1; chars <= 64; chars++) {
      expect(hexPrefixOfBase64urlDigest(digest.toString('base64url'), chars)).toBe(
        digest.toString('hex').slice(0, chars),
      );
    }
  });

  it('hashes strings as UTF-8, so different texts never share a digest by encoding', () => {
    expect(sha256Base64url('\u00e9')).toBe(reference(Buffer.from([0xc3, 0xa9])).toString('base64url'));
    expect(sha256Base64url('\u00e9')).not.toBe(reference(Buffer.from([0xe9])).toString('base64url'));
  });
});
