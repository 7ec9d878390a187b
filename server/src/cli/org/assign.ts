// `org assign`: give the running user the admin permission set (and the bot user the bot set, when named); explain
// the assignments this command cannot choose.
import type { Connection } from '@salesforce/core';
import { stringFlag, type ParsedFlags } from './args';
import { connectOrg, soqlList, soqlString } from './connect';
import type { CommandContext } from './context';
import { EXIT, OrgCommandError, describeError, type ExitCode } from './errors';
import { upgradeCommand } from './layout';
import type { Reporter } from './output';
import { PACKAGE_NAMES } from './settings';

interface IdRow {
  Id: string;
  Name?: string;
}

const ASSIGN_FIX =
  'Assigning permission sets needs "Assign Permission Sets" (or Manage Users); ask an admin who has it.';

async function runningUserId(connection: Connection, username: string): Promise<string> {
  const fromAuth = connection.getAuthInfoFields().userId;
  if (fromAuth) return fromAuth;
  const rows = (await connection.query<IdRow>(`SELECT Id FROM User WHERE Username = ${soqlString(username)} LIMIT 1`))
    .records;
  if (!rows[0]) throw new OrgCommandError('org_request_failed', `The org has no user named ${username}.`);
  return rows[0].Id;
}

async function namedUserId(connection: Connection, username: string): Promise<string> {
  const rows = (await connection.query<IdRow>(`SELECT Id FROM User WHERE Username = ${soqlString(username)} LIMIT 1`))
    .records;
  if (!rows[0]) {
    throw new OrgCommandError(
      'user_not_found',
      `The org has no user with the username ${username}.`,
      'Setup › Users shows the exact username of the bot or agent user; pass it with --bot-user.',
    );
  }
  return rows[0].Id;
}

/** Creates the assignment unless the user already has it; says which happened. */
async function ensureAssigned(
  connection: Connection,
  report: Reporter,
  user: { id: string; label: string },
  set: { id: string; name: string },
): Promise<void> {
  const existing = await connection.query<IdRow>(
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(user.id)} ` +
      `AND PermissionSetId = ${soqlString(set.id)} LIMIT 1`,
  );
  if (existing.records.length > 0) {
    report.ok(`${user.label} already has ${set.name}.`);
    return;
  }
  report.step(`Assigning ${set.name} to ${user.label}…`);
  let saved: { success: boolean; errors?: unknown[] };
  try {
    saved = await connection
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user.id, PermissionSetId: set.id });
  } catch (error) {
    throw new OrgCommandError(
      'org_request_failed',
      `The org refused the assignment: ${describeError(error)}`,
      ASSIGN_FIX,
    );
  }
  if (!saved.success) {
    throw new OrgCommandError(
      'org_request_failed',
      `The org refused the assignment: ${JSON.stringify(saved.errors ?? [])}`,
      ASSIGN_FIX,
    );
  }
  report.ok(`Assigned ${set.name} to ${user.label}.`);
}

/** Runs `org assign` with its parsed options (`--help` is answered before this module is loaded). */
export async function runAssign(flags: ParsedFlags, context: CommandContext): Promise<ExitCode> {
  const { report } = context;
  const target = stringFlag(flags, 'target-org');
  const alias = target ?? '<alias>';
  const botUsername = stringFlag(flags, 'bot-user');
  const withLegacyChat = flags['with-legacy-chat'] === true;
  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  const { connection } = session;
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  const names = [
    PACKAGE_NAMES.adminPermissionSet,
    PACKAGE_NAMES.botPermissionSet,
    PACKAGE_NAMES.sitePermissionSet,
    PACKAGE_NAMES.legacyChatPermissionSet,
  ];
  const sets = (await connection.query<IdRow>(`SELECT Id, Name FROM PermissionSet WHERE Name IN ${soqlList(names)}`))
    .records;
  const idOf = (name: string): string | undefined => sets.find((set) => set.Name === name)?.Id;
  const required = (name: string, fix: string): { id: string; name: string } => {
    const id = idOf(name);
    if (!id) throw new OrgCommandError('permission_set_missing', `Permission set ${name} is not in the org.`, fix);
    return { id, name };
  };
  // Everything this run will assign is checked before the first assignment, so a missing set changes nothing.
  const adminSet = required(PACKAGE_NAMES.adminPermissionSet, `Deploy the package first: ${upgradeCommand(alias)}`);
  const legacySet = withLegacyChat
    ? required(
        PACKAGE_NAMES.legacyChatPermissionSet,
        `Deploy legacy-chat first: ${upgradeCommand(alias, true)} (only for orgs that still run legacy Chat)`,
      )
    : undefined;
  const botSet = botUsername
    ? required(PACKAGE_NAMES.botPermissionSet, `Deploy the package again: ${upgradeCommand(alias)}`)
    : undefined;
  const bot = botUsername ? { id: await namedUserId(connection, botUsername), label: botUsername } : undefined;

  const you = { id: await runningUserId(connection, session.username), label: session.username };
  await ensureAssigned(connection, report, you, adminSet);
  // The legacy set carries the LiveChatTranscript read access the admin set had before legacy Chat moved out.
  if (legacySet) await ensureAssigned(connection, report, you, legacySet);
  if (bot && botSet) {
    await ensureAssigned(connection, report, bot, botSet);
    if (legacySet) await ensureAssigned(connection, report, bot, legacySet);
  }

  report.blank();
  report.info('Still to assign (these users are not you, so this command does not pick them):');
  if (!bot) {
    const botSets = [PACKAGE_NAMES.botPermissionSet, ...(legacySet ? [legacySet.name] : [])];
    report.info(
      `  • ${botSets.join(' and ')} → the user your bot or agent runs as (Einstein Bot user / Agentforce agent ` +
        'user; or run this command again with --bot-user <username>), and map it to the External Credential ' +
        'principal (docs/install.md › "Permission sets"):',
    );
    for (const name of botSets) {
      report.info(
        `      sf org assign permset --name ${name} --on-behalf-of <bot-or-agent-username> --target-org ${alias}`,
      );
    }
  }
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
  if (!withLegacyChat && idOf(PACKAGE_NAMES.legacyChatPermissionSet)) {
    report.info(
      `  The org has ${PACKAGE_NAMES.legacyChatPermissionSet} (legacy Chat): add --with-legacy-chat to assign it too.`,
    );
  }
  return EXIT.ok;
}
