// Entry point of the admin commands: `prechat-guard org <deploy|assign|export-cert|doctor> [options]`.
import { runAssign } from './assign';
import { createContext, type OrgIo } from './context';
import { runDeploy } from './deploy';
import { runDoctor } from './doctor';
import { EXIT, OrgCommandError, authMissing, describeError, isAuthError } from './errors';
import { runExportCert } from './exportCert';
import type { CommandContext } from './context';

type Command = (argv: string[], context: CommandContext) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  deploy: {
    run: runDeploy,
    summary:
      'upgrade: deploy force-app; first install: --first-install --service-url <https URL> adds bootstrap\n' +
      `${' '.repeat(15)}(--with-legacy-chat, --dry-run, --run-tests)`,
  },
  assign: {
    run: runAssign,
    summary: 'assign PrechatGuard_Admin to you, PrechatGuard_Bot_User to --bot-user (--with-legacy-chat)',
  },
  'export-cert': { run: runExportCert, summary: "write the org certificate into the service's trust folder" },
  doctor: { run: runDoctor, summary: 'check an installation end to end, one row per check with the fix' },
};

export const USAGE =
  'Usage: prechat-guard org <command> [options]   (npm: npm run org:<command> -- [options])\n\nCommands:\n' +
  Object.entries(COMMANDS)
    .map(([name, { summary }]) => `  ${name.padEnd(12)} ${summary}`)
    .join('\n') +
  '\n\nEvery command takes --target-org <alias> (an org you authorised with `sf org login web --alias <alias>`) ' +
  'and --help.\nExit codes: 0 ok, 1 a deploy or check failed, 2 usage error, 3 no usable Salesforce CLI login.\n';

function targetOf(argv: string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--target-org' || arg === '-o');
  if (index !== -1) return argv[index + 1];
  return argv.find((arg) => arg.startsWith('--target-org='))?.slice('--target-org='.length);
}

/** Runs one admin command and returns its exit code; `io` is replaced in tests. */
export async function runOrgCommand(argv: string[], io: Partial<OrgIo> = {}): Promise<number> {
  const context = createContext(io);
  const { report } = context;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    report.info(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    report.fail(`Unknown command "${name}".`, 'use one of: ' + Object.keys(COMMANDS).join(', '));
    report.info(USAGE);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    const known =
      error instanceof OrgCommandError
        ? error
        : isAuthError(error)
          ? authMissing(targetOf(rest), describeError(error))
          : new OrgCommandError('org_request_failed', `Unexpected error: ${describeError(error)}`, undefined);
    report.fail(`[${known.code}] ${known.message}`, known.fix);
    return known.exitCode;
  }
}

if (require.main === module) {
  void runOrgCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
