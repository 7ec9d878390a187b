// `org assign`: give the running user the admin permission set; explain how to assign the bot and site sets.
import type { Connection } from '@salesforce/core';
import { formatHelp, parseFlags, stringFlag, type FlagSpecs } from './args';
import { connectOrg, soqlList, soqlString } from './connect';
import type { CommandContext } from './context';
import { EXIT, OrgCommandError, describeError, type ExitCode } from './errors';
import { PACKAGE_NAMES } from './settings';

export const ASSIGN_FLAGS: FlagSpecs = {
  'target-org': { type: 'string', short: 'o', description: 'alias or username of an org authorised with the sf CLI' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const ASSIGN_SUMMARY =
  'Assigns PrechatGuard_Admin to the user you are logged in as, and prints how to assign PrechatGuard_Bot_User and\n' +
  'PrechatGuard_Site_User to the bot/agent user and the site users.';

interface IdRow {
  Id: string;
  Name?: string;
}

async function runningUserId(connection: Connection, username: string): Promise<string> {
  const fromAuth = connection.getAuthInfoFields().userId;
  if (fromAuth) return fromAuth;
  const rows = (await connection.query<IdRow>(`SELECT Id FROM User WHERE Username = ${soqlString(username)} LIMIT 1`))
    .records;
  if (!rows[0]) throw new OrgCommandError('org_request_failed', `The org has no user named ${username}.`);
  return rows[0].Id;
}

export async function runAssign(argv: string[], context: CommandContext): Promise<ExitCode> {
  const { report } = context;
  const flags = parseFlags(argv, ASSIGN_FLAGS, 'assign');
  if (flags['help']) {
    report.info(formatHelp('assign', ASSIGN_SUMMARY, ASSIGN_FLAGS));
    return EXIT.ok;
  }
  const target = stringFlag(flags, 'target-org');
  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  const { connection } = session;
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  const names = [PACKAGE_NAMES.adminPermissionSet, PACKAGE_NAMES.botPermissionSet, PACKAGE_NAMES.sitePermissionSet];
  const sets = (await connection.query<IdRow>(`SELECT Id, Name FROM PermissionSet WHERE Name IN ${soqlList(names)}`))
    .records;
  const idOf = (name: string): string | undefined => sets.find((set) => set.Name === name)?.Id;
  const adminSetId = idOf(PACKAGE_NAMES.adminPermissionSet);
  if (!adminSetId) {
    throw new OrgCommandError(
      'permission_set_missing',
      `Permission set ${PACKAGE_NAMES.adminPermissionSet} is not in the org.`,
      `Deploy the package first: npm run org:deploy -- --target-org ${target ?? '<alias>'}`,
    );
  }

  const userId = await runningUserId(connection, session.username);
  const existing = await connection.query<IdRow>(
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)} ` +
      `AND PermissionSetId = ${soqlString(adminSetId)} LIMIT 1`,
  );
  if (existing.records.length > 0) {
    report.ok(`${session.username} already has ${PACKAGE_NAMES.adminPermissionSet}.`);
  } else {
    report.step(`Assigning ${PACKAGE_NAMES.adminPermissionSet} to ${session.username}…`);
    let saved: { success: boolean; errors?: unknown[] };
    try {
      saved = await connection
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: userId, PermissionSetId: adminSetId });
    } catch (error) {
      throw new OrgCommandError(
        'org_request_failed',
        `The org refused the assignment: ${describeError(error)}`,
        'Assigning permission sets needs "Assign Permission Sets" (or Manage Users); ask an admin who has it.',
      );
    }
    if (!saved.success) {
      throw new OrgCommandError(
        'org_request_failed',
        `The org refused the assignment: ${JSON.stringify(saved.errors ?? [])}`,
        'Assigning permission sets needs "Assign Permission Sets" (or Manage Users); ask an admin who has it.',
      );
    }
    report.ok(`Assigned ${PACKAGE_NAMES.adminPermissionSet} to ${session.username}.`);
  }

  const alias = target ?? '<alias>';
  report.blank();
  report.info('Still to assign (these users are not you, so this command does not pick them):');
  report.info(
    `  • ${PACKAGE_NAMES.botPermissionSet} → the user your bot or agent runs as (Einstein Bot user / Agentforce agent ` +
      'user), and map it to the External Credential principal (README › "Deploy to your org", step 6):',
  );
  report.info(
    `      sf org assign permset --name ${PACKAGE_NAMES.botPermissionSet} --on-behalf-of <bot-or-agent-username> ` +
      `--target-org ${alias}`,
  );
  report.info(
    `  • ${PACKAGE_NAMES.sitePermissionSet} → every Experience Cloud user who may chat (or add it to the permission ` +
      'set group your site members get):',
  );
  report.info(
    `      sf org assign permset --name ${PACKAGE_NAMES.sitePermissionSet} --on-behalf-of <site-username> ` +
      `--target-org ${alias}`,
  );
  for (const name of [PACKAGE_NAMES.botPermissionSet, PACKAGE_NAMES.sitePermissionSet]) {
    const id = idOf(name);
    if (id) report.info(`  ${name} Id ${id} (for bulk loads of PermissionSetAssignment with Data Loader)`);
    else report.warn(`Permission set ${name} is not in the org; deploy the package again.`);
  }
  return EXIT.ok;
}
