/*
 * Demo stand-in for the platform module `@salesforce/apex/PrechatGuardIdentityController.getIdentity` (an imperative
 * Apex call). It asks the demo site's endpoint, which mints the token with the service's development key exactly as
 * PrechatGuardTokenIssuer would, for whoever is "logged in" through the site's session cookie. Failures reject with the
 * shape Lightning gives Apex errors: { body: { message }, ok: false, status, statusText }.
 */
/// <reference lib="dom" />

export interface ApexErrorShape {
  body: { message: string };
  ok: false;
  status: number;
  statusText: string;
}

export default async function getIdentity(): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch('/demo/api/identity', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  } catch (error) {
    throw apexError(0, 'Network error', (error as Error).message);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
    throw apexError(response.status, response.statusText, typeof detail === 'string' ? detail : 'Apex call failed.');
  }
  return body;
}

// Lightning rejects with a plain object, not an Error; the component must cope with exactly that.
function apexError(status: number, statusText: string, message: string): ApexErrorShape {
  return { body: { message }, ok: false, status, statusText };
}
