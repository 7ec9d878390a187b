// The demo site's people: Experience Cloud users with the ids, names and related records the Apex controller reads.
import { toId18 } from '../../server/src/tokens/salesforceId';

export interface DemoUser {
  /** 18-character user id (key prefix 005). */
  id: string;
  firstName: string;
  lastName: string;
  contactId: string;
  accountId: string;
  locale: string;
}

function id18(id15: string): string {
  const id = toId18(id15);
  if (id === null) throw new Error(`not a well-formed Salesforce id: ${id15}`);
  return id;
}

/** The Experience Cloud site (network) every demo user belongs to. */
export const DEMO_NETWORK_ID = id18('0DB5g000000DemO');

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: id18('0055g00000AdaLv'),
    firstName: 'Ada',
    lastName: 'Lovelace',
    contactId: id18('0035g00000AdaCt'),
    accountId: id18('0015g00000AnEng'),
    locale: 'en_GB',
  },
  {
    id: id18('0055g00000GrcHp'),
    firstName: 'Grace',
    lastName: 'Hopper',
    contactId: id18('0035g00000GrcCt'),
    accountId: id18('0015g00000CoBoL'),
    locale: 'en_US',
  },
  {
    id: id18('0055g00000AlnTr'),
    firstName: 'Alan',
    lastName: 'Turing',
    contactId: id18('0035g00000AlnCt'),
    accountId: id18('0015g00000BlchP'),
    locale: 'en_GB',
  },
];

export function findUser(userId: string | null | undefined): DemoUser | undefined {
  if (!userId) return undefined;
  const id = toId18(userId);
  return DEMO_USERS.find((user) => user.id === id);
}
