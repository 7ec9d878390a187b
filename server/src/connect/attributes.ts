// Amazon Connect contact attributes from a verified identity: the configured attribute=claim mapping, every value a
// string (a non-string attribute makes the Connect chat fail to start).
import type { ConnectConfig } from '../config';
import type { Verified } from '../tokens/outcome';

export type AttributeMapping = ConnectConfig['attributes'];

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Arrays and objects (an `aud` array, say): their JSON, not "[object Object]".
  return JSON.stringify(value);
}

/**
 * Builds the `attributes` claim. `sub` maps to the verified 18-character user id (the token may carry the 15-character
 * form); other claims are read as signed. A claim the token does not carry (or carries as null) is left out rather
 * than refused: optional claims such as `contact_id` are absent for some users.
 */
export function contactAttributes(mapping: AttributeMapping, identity: Verified): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const { attribute, claim } of mapping) {
    if (claim === 'sub') {
      entries.push([attribute, identity.userId]);
      continue;
    }
    // Own properties only: a claim name such as "constructor" must not read the object prototype.
    if (!Object.hasOwn(identity.claims, claim)) continue;
    const value = identity.claims[claim];
    if (value === null || value === undefined) continue;
    entries.push([attribute, asString(value)]);
  }
  // fromEntries defines own properties, so even an attribute named "__proto__" is kept as data.
  return Object.fromEntries(entries);
}
