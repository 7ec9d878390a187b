// Salesforce record ids: 15 case-sensitive characters, or 18 with a 3-character case-checksum suffix.

const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes a 15-character id case-insensitively unique. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i; // an upper-case letter sets its bit
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id, or null when it is not a well-formed id. */
export function toId18(id: string): string | null {
  if (ID_15.test(id)) return id + checksumSuffix(id);
  if (ID_18.test(id)) {
    const id15 = id.slice(0, 15);
    return id.slice(15) === checksumSuffix(id15) ? id : null;
  }
  return null;
}

/** A well-formed User id: key prefix 005, 15 characters, or 18 with a correct checksum. */
export function toUserId18(id: unknown): string | null {
  if (typeof id !== 'string' || !id.startsWith('005')) return null;
  return toId18(id);
}

/** Same record: first 15 characters compared case-sensitively; an 18-character form must carry a correct checksum. */
export function sameUserId(claimed: string, subject18: string): boolean {
  const claimed18 = toUserId18(claimed);
  return claimed18 !== null && claimed18 === subject18;
}
