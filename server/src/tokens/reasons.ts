// The stable, machine-readable outcomes of a verification (docs/architecture.md §5), each with one sentence for a person.

export const REASONS = {
  malformed: 'The token or one of its claims is not in the expected format.',
  unsupported_algorithm: 'The token is signed with an algorithm this service does not accept.',
  unknown_key: 'The token names a signing key (kid) that this service does not trust.',
  key_expired: 'The certificate that signed the token is outside its validity period.',
  bad_signature: 'The token signature does not match its contents.',
  missing_claim: 'The token lacks a required claim (iss, aud, sub, iat, exp, jti).',
  wrong_issuer: 'The token was issued by an issuer this service does not expect.',
  wrong_audience: 'The token was issued for a different audience.',
  not_yet_valid: 'The token is not valid yet; check the clocks of the org and the service.',
  user_mismatch: 'The user id on the chat record is not the user the token was issued to.',
  replayed: 'The token is already bound to another chat session.',
  expired: 'The token has expired; the page must fetch a fresh one before the chat starts.',
  too_old: 'The token was issued too long ago or lives longer than this service allows.',
  legacy_disabled: 'Legacy (v1) tokens are not accepted by this service.',
  no_token: 'The chat carries no identity token: the visitor is not logged in.',
} as const;

export type Reason = keyof typeof REASONS;

/**
 * Sentences for one way a reason can happen, where the general sentence would mislead the person reading it. The
 * reason code stays the same: callers branch on the code, people read the detail.
 */
export const DETAILS = {
  // A bot action that forgot the sessionKey is a bug to fix, not an attack from another chat: say which it was.
  replayedWithoutSessionKey:
    'The token is already bound to a chat session, and this call presented no session key; send the sessionKey of ' +
    'that chat to verify it again there.',
} as const;

/** `no_token` is only ever produced by the Salesforce side; the service never sends it. */
export type ServiceReason = Exclude<Reason, 'no_token'>;
