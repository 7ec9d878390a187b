// Reads an identity token minted by the org and checks it against the org certificate, for the doctor's local check.
import { createPublicKey, verify } from 'node:crypto';
import type { InspectedCertificate } from './certificate';

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function decodeToken(token: string): DecodedToken | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) return null;
    return {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return null;
  }
}

export interface LocalExpectations {
  kid: string;
  issuer: string;
  audience: string;
}

/** Returns null when the token checks out, else a sentence saying what does not match. */
export function checkTokenLocally(
  token: string,
  certificate: InspectedCertificate,
  expected: LocalExpectations,
): string | null {
  const decoded = decodeToken(token);
  if (!decoded) return 'the minted token is not a compact JWS (three base64url parts)';
  const { header, payload } = decoded;
  const hash = header['alg'] === 'RS256' ? 'sha256' : header['alg'] === 'RS512' ? 'sha512' : null;
  if (!hash) return `the token header says alg ${JSON.stringify(header['alg'])}; expected RS256 or RS512`;
  if (header['kid'] !== expected.kid) {
    return `the token names kid ${JSON.stringify(header['kid'])} but the settings record says "${expected.kid}"`;
  }
  const key = createPublicKey({ key: { kty: 'RSA', n: certificate.n, e: certificate.e }, format: 'jwk' });
  if (!verify(hash, Buffer.from(decoded.signingInput), key, decoded.signature)) {
    return 'the signature does not verify with the certificate named in the settings record';
  }
  if (payload['iss'] !== expected.issuer) {
    return `the token's iss is ${JSON.stringify(payload['iss'])}, expected "${expected.issuer}"`;
  }
  const aud = payload['aud'];
  const audOk = aud === expected.audience || (Array.isArray(aud) && aud.includes(expected.audience));
  if (!audOk) return `the token's aud is ${JSON.stringify(aud)}, expected "${expected.audience}"`;
  return null;
}
