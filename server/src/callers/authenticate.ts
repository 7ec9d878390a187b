// Who may call: a Bearer API key, or a Named Credential JWT. Anything else is 401 with WWW-Authenticate.
import type { FastifyRequest } from 'fastify';
import { matchesApiKey } from './apiKeys';
import type { NamedCredentialVerifier } from './namedCredentialJwt';

export interface CallerIdentity {
  kind: 'api-key' | 'named-credential';
  /** Short, non-reversible label for logs and rate limiting. */
  label: string;
}

export const WWW_AUTHENTICATE = 'Bearer realm="prechat-guard"';

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export async function authenticateCaller(
  credential: string,
  apiKeyDigests: readonly Buffer[],
  jwtVerifier: NamedCredentialVerifier | null,
): Promise<CallerIdentity | null> {
  if (apiKeyDigests.length > 0 && matchesApiKey(credential, apiKeyDigests)) {
    return { kind: 'api-key', label: 'api-key' };
  }
  if (jwtVerifier && credential.split('.').length === 3) {
    if (await jwtVerifier.verify(credential)) return { kind: 'named-credential', label: 'named-credential' };
  }
  return null;
}
