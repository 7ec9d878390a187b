// Who may call: a Bearer API key, or a Named Credential JWT. Anything else is 401 with WWW-Authenticate.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { matchingApiKey } from './apiKeys';
import type { NamedCredentialVerifier } from './namedCredentialJwt';

export interface CallerIdentity {
  kind: 'api-key' | 'named-credential';
  /**
   * Short, non-reversible label of this one caller (which key, or which Named Credential), for per-caller rate limits.
   * The same on every instance, so counters kept in a shared Redis add up.
   */
  label: string;
}

export const WWW_AUTHENTICATE = 'Bearer realm="prechat-guard"';

/** Short label from a secret-derived value: a hash of it, cut short. */
export function callerLabel(kind: CallerIdentity['kind'], material: Buffer | string): string {
  return `${kind}:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;
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
  if (options.apiKeys && apiKeyDigests.length > 0) {
    const digest = matchingApiKey(credential, apiKeyDigests);
    if (digest) return { kind: 'api-key', label: callerLabel('api-key', digest) };
  }
  if (jwtVerifier && looksLikeJwt(credential)) {
    const caller = await jwtVerifier.verify(credential);
    if (caller) return { kind: 'named-credential', label: callerLabel('named-credential', caller) };
  }
  return null;
}
