// Identity tokens (docs/architecture.md §4.1) minted by hand with node:crypto, byte for byte like the Apex issuer: the header
// and payload are serialised in the contract's key order, base64url without padding, signed with RSA PKCS#1 v1.5.
import { randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';

export type Claims = Record<string, unknown>;

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Salesforce's 3-character case-checksum suffix of a 15-character id (written here independently of the service). */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 15; block += 5) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[block + i]!;
      if (ch >= 'A' && ch <= 'Z') bits += 2 ** i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** A random, well-formed 18-character id with the given 3-character key prefix (005 = User). */
export function randomId18(prefix = '005'): string {
  const bytes = randomBytes(12);
  let id15 = prefix;
  for (const byte of bytes) id15 += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id15 + idChecksum(id15);
}

export function randomJti(): string {
  return randomBytes(16).toString('base64url');
}

export function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export interface TokenParts {
  header: Claims;
  payload: Claims;
}

export interface StandardClaimsInput {
  issuer: string;
  audience: string;
  subject?: string;
  /** Issue time, seconds. */
  iat: number;
  ttlSeconds?: number;
  jti?: string;
}

/** The claims the Apex issuer writes, in its key order: iss, sub, aud, iat, nbf, exp, jti. */
export function standardClaims(input: StandardClaimsInput): Claims {
  return {
    iss: input.issuer,
    sub: input.subject ?? randomId18(),
    aud: input.audience,
    iat: input.iat,
    nbf: input.iat,
    exp: input.iat + (input.ttlSeconds ?? 300),
    jti: input.jti ?? randomJti(),
  };
}

export function standardHeader(kid: string, alg: 'RS256' | 'RS512' = 'RS256'): Claims {
  return { alg, typ: 'JWT', kid };
}

const HASH_OF: Record<string, string> = { RS256: 'sha256', RS512: 'sha512' };

/** Signs `b64(header).b64(payload)` with the key; the hash follows the header's alg (RS512 → SHA-512, else SHA-256). */
export function signJws(parts: TokenParts, privateKey: KeyObject): string {
  const signingInput = `${b64url(JSON.stringify(parts.header))}.${b64url(JSON.stringify(parts.payload))}`;
  return signRaw(signingInput, privateKey, HASH_OF[String(parts.header.alg)] ?? 'sha256');
}

/** Signs an arbitrary signing input (used to build attack tokens whose segments are not JSON-serialised objects). */
export function signRaw(signingInput: string, privateKey: KeyObject, hash = 'sha256'): string {
  const signature = rsaSign(hash, Buffer.from(signingInput, 'ascii'), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface MintInput extends StandardClaimsInput {
  kid: string;
  privateKey: KeyObject;
}

export function mintToken(input: MintInput): { token: string; claims: Claims } {
  const claims = standardClaims(input);
  return { token: signJws({ header: standardHeader(input.kid), payload: claims }, input.privateKey), claims };
}
