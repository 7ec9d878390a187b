// Test data shaped like PrechatGuardIdentityController.getIdentity answers and like Apex errors as LWC receives them.
// Tokens are compact-JWS shaped (header.payload.signature) with real iat/exp claims; the signature is filler.

export const USER_ID = '005Hs00000ABCdeIAF';
export const OTHER_USER_ID = '005Hs00000XYZwvIAC';

function base64Url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

let serial = 0;

/** A token issued at `issuedAtMs` (epoch ms) that lives `ttlSeconds`. Every call gives a different jti/signature. */
export function makeToken(issuedAtMs: number, ttlSeconds = 300, sub = USER_ID): string {
  serial += 1;
  const iat = Math.floor(issuedAtMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: 'prechat-guard-1' };
  const payload = {
    iss: '00DHs000000TESTMAA',
    sub,
    aud: 'prechat-guard',
    iat,
    nbf: iat,
    exp: iat + ttlSeconds,
    jti: `test-jti-${String(serial).padStart(13, '0')}`,
  };
  const signature = base64Url(`signature-${serial}-`.repeat(20)).slice(0, 342);
  return `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}.${signature}`;
}

export interface IdentityResponse {
  loggedIn: boolean;
  userId: string | null;
  token: string | null;
  expiresAt: string | null;
  firstName: string | null;
}

/** A signed-in answer issued at `issuedAtMs`. */
export function signedInResponse(issuedAtMs: number, options: { ttlSeconds?: number; firstName?: string | null } = {}) {
  const ttlSeconds = options.ttlSeconds ?? 300;
  const response: IdentityResponse = {
    loggedIn: true,
    userId: USER_ID,
    token: makeToken(issuedAtMs, ttlSeconds),
    expiresAt: new Date(Math.floor(issuedAtMs / 1000) * 1000 + ttlSeconds * 1000).toISOString(),
    firstName: options.firstName === undefined ? 'Ada' : options.firstName,
  };
  return response;
}

export const GUEST_RESPONSE: IdentityResponse = {
  loggedIn: false,
  userId: null,
  token: null,
  expiresAt: null,
  firstName: null,
};

/** How an AuraHandledException reaches LWC. */
export function apexError(message: string, status = 400) {
  return { body: { message }, ok: false, status, statusText: 'Bad Request' };
}

/** Lets pending promise chains and LWC re-renders run (works with fake timers too). */
export async function flushPromises(rounds = 25): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await Promise.resolve();
  }
}
