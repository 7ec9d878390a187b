// SHA-256 in the few forms the service uses, each in one call to crypto.hash: no Hash object and no update/digest
// chain per request (measured at ~14 % of a re-verification when every site built its own chain).
import { hash } from 'node:crypto';

/** The 32-byte digest (strings are hashed as UTF-8). */
export function sha256Bytes(value: string | Buffer): Buffer {
  // crypto.hash's 'buffer' output allocates an ArrayBuffer of its own (~1 µs, measured); the digest as a binary
  // (latin1) string copied into a Buffer takes Node's pooled allocation instead, at half the cost.
  return Buffer.from(hash('sha256', value, 'binary'), 'latin1');
}

/** The digest as base64url without padding (43 characters). */
export function sha256Base64url(value: string | Buffer): string {
  return hash('sha256', value, 'base64url');
}

/** The first `hexChars` hexadecimal characters of the digest. */
export function sha256HexPrefix(value: string | Buffer, hexChars: number): string {
  return hash('sha256', value, 'hex').slice(0, hexChars);
}

/** The first 128 bits of the digest as base64url (22 characters). */
export function sha256Base64url128(value: string | Buffer): string {
  return sha256Bytes(value).toString('base64url', 0, 16);
}

/** The first `hexChars` hexadecimal characters of a digest already held as base64url (see sha256Base64url). */
export function hexPrefixOfBase64urlDigest(base64urlDigest: string, hexChars: number): string {
  // Every 4 base64url characters are 3 whole bytes, so a prefix of the text decodes to a prefix of the digest.
  const chars = Math.ceil(hexChars / 6) * 4;
  return Buffer.from(base64urlDigest.slice(0, chars), 'base64url').toString('hex').slice(0, hexChars);
}
