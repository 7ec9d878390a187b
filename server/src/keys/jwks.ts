// The JSON Web Key Set of the trust store: usable as an Enhanced Chat user-verification keyset URL.
import type { TrustedKey } from './certificate';

export interface PublicJwk {
  kty: 'RSA';
  kid: string;
  alg: string;
  use: 'sig';
  n: string;
  e: string;
  x5c: string[];
  'x5t#S256': string;
}

export function toJwk(key: TrustedKey, alg: string): PublicJwk {
  const { n, e } = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kty: 'RSA', kid: key.kid, alg, use: 'sig', n, e, x5c: key.x5c, 'x5t#S256': key.thumbprintSha256 };
}

export function toJwks(keys: TrustedKey[], alg: string): { keys: PublicJwk[] } {
  return { keys: keys.map((key) => toJwk(key, alg)) };
}
