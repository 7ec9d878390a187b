// Builds an identity token v2 exactly as the Apex issuer does (docs/architecture.md §4.1): header and payload JSON in a fixed key order,
// base64url without padding, `header.payload` signed with RSA PKCS#1 v1.5. For development, tests and the demo only:
// in production the private key stays in the Salesforce org.
import { randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';
import type { Algorithm } from '../config';

export interface MintInput {
  privateKey: KeyObject | string;
  kid: string;
  issuer: string;
  audience: string;
  userId: string;
  nowSeconds: number;
  ttlSeconds?: number;
  /** 16 random bytes unless given (golden vectors fix it). */
  jtiBytes?: Buffer;
  alg?: Algorithm;
  contactId?: string | null;
  accountId?: string | null;
  networkId?: string | null;
  locale?: string | null;
}

export interface MintedToken {
  token: string;
  headerJson: string;
  payloadJson: string;
  signingInput: string;
  jti: string;
  expiresAt: number;
}

export const DEFAULT_TTL_SECONDS = 300;

export function buildHeaderJson(alg: Algorithm, kid: string): string {
  return JSON.stringify({ alg, typ: 'JWT', kid });
}

export function buildPayloadJson(input: MintInput, jti: string): string {
  const iat = input.nowSeconds;
  const claims: Record<string, string | number> = {
    iss: input.issuer,
    sub: input.userId,
    aud: input.audience,
    iat,
    nbf: iat,
    exp: iat + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS),
    jti,
  };
  // Optional claims in a fixed order, omitted when not known.
  const optional: Array<[string, string | null | undefined]> = [
    ['contact_id', input.contactId],
    ['account_id', input.accountId],
    ['network_id', input.networkId],
    ['locale', input.locale],
  ];
  for (const [name, value] of optional) if (value !== null && value !== undefined) claims[name] = value;
  return JSON.stringify(claims);
}

export function mintIdentityToken(input: MintInput): MintedToken {
  const alg = input.alg ?? 'RS256';
  const jti = (input.jtiBytes ?? randomBytes(16)).toString('base64url');
  const headerJson = buildHeaderJson(alg, input.kid);
  const payloadJson = buildPayloadJson(input, jti);
  const signingInput = `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
  const signature = rsaSign(alg === 'RS512' ? 'sha512' : 'sha256', Buffer.from(signingInput), input.privateKey);
  return {
    token: `${signingInput}.${signature.toString('base64url')}`,
    headerJson,
    payloadJson,
    signingInput,
    jti,
    expiresAt: input.nowSeconds + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS),
  };
}
