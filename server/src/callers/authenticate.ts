// Who may call: a Bearer API key, or a Named Credential JWT. Anything else is 401 with WWW-Authenticate.
import type { FastifyRequest } from 'fastify';
import { sha256HexPrefix } from '../sha256';
import { matchingApiKey } from './apiKeys';
import type { NamedCredentialVerifier } from './namedCredentialJwt';

export interface CallerIdentity {
  /**
   * Short, non-reversible label of this one caller (which key, or which Named Credential), for per-caller rate limits.
   * The same on every instance, so counters kept in a shared Redis add up.
   */
  label: string;
}

export const WWW_AUTHENTICATE = 'Bearer realm="prechat-guard"';

/** Short label from a secret-derived value: a hash of it, cut short. */
export function callerLabel(kind: 'api-key' | 'named-credential', material: Buffer | string): string {
  return `${kind}:${sha256HexPrefix(material, 16)}`;
}

// The identity of each configured API key, derived once per digest: the digests are long-lived (configuration, or
// one key-file load), and a WeakMap forgets those a reload of the key file dropped.
const apiKeyCallers = new WeakMap<Buffer, CallerIdentity>();

function apiKeyIdentity(digest: Buffer): CallerIdentity {
  let caller = apiKeyCallers.get(digest);
  if (caller === undefined) {
    caller = { label: callerLabel('api-key', digest) };
    apiKeyCallers.set(digest, caller);
  }
  return caller;
}

/** The API-key caller the credential proves, or null; synchronous, so the common case costs no promise. */
export function apiKeyCaller(credential: string, apiKeyDigests: readonly Buffer[]): CallerIdentity | null {
  if (apiKeyDigests.length === 0) return null;
  const digest = matchingApiKey(credential, apiKeyDigests);
  return digest ? apiKeyIdentity(digest) : null;
}

/**
 * How many Authorization headers the request carries on the wire. Node keeps only the first in `headers`, while a
 * proxy in front may act on the last, so the service and the proxy could see different callers: more than one is
 * refused.
 */
export function authorizationHeaderCount(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** True when the credential has the shape of a JWT (three dot-separated parts). */
export function looksLikeJwt(credential: string): boolean {
  return credential.split('.').length === 3;
}

export async function authenticateCaller(
  credential: string,
  apiKeyDigests: readonly Buffer[],
  jwtVerifier: NamedCredentialVerifier | null,
  options: { apiKeys: boolean } = { apiKeys: true },
): Promise<CallerIdentity | null> {
  if (options.apiKeys) {
    const caller = apiKeyCaller(credential, apiKeyDigests);
    if (caller) return caller;
  }
  return jwtVerifier && looksLikeJwt(credential) ? namedCredentialCaller(credential, jwtVerifier) : null;
}

/** The Named Credential caller the JWT proves, or null. */
export async function namedCredentialCaller(
  jwt: string,
  jwtVerifier: NamedCredentialVerifier,
): Promise<CallerIdentity | null> {
  const caller = await jwtVerifier.verify(jwt);
  return caller ? { label: callerLabel('named-credential', caller) } : null;
}
