// What `org assign` accepts and how its help reads. Kept apart from assign.ts so that `--help` answers without
// loading the Salesforce libraries the assignment itself needs.
import { TARGET_ORG_FLAG, type FlagSpecs } from './args';

export const ASSIGN_FLAGS: FlagSpecs = {
  'target-org': TARGET_ORG_FLAG,
  'bot-user': {
    type: 'string',
    description: 'username of the bot or agent user: also assign it PrechatGuard_Bot_User',
  },
  'with-legacy-chat': {
    type: 'boolean',
    description: 'also assign PrechatGuard_Legacy_Chat (deployed with org:deploy --with-legacy-chat)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const ASSIGN_SUMMARY =
  'Assigns PrechatGuard_Admin to the user you are logged in as. With --bot-user <username> it also assigns\n' +
  'PrechatGuard_Bot_User to that bot or agent user; otherwise it prints the command. With --with-legacy-chat both also\n' +
  'get PrechatGuard_Legacy_Chat (legacy Chat transcripts). It prints how to assign PrechatGuard_Site_User to site users.';
