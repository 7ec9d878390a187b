// Entry point of the admin commands: `prechat-guard org <deploy|assign|export-cert|doctor> [options]`.
// Each command's options and help live in a small module of their own; the command itself is loaded only when it
// runs, because it needs the Salesforce libraries (@salesforce/core, source-deploy-retrieve), which take most of a
// second to load and are development dependencies: `--help`, a usage error and the rest of the CLI never load them.
import path from 'node:path';
import { formatHelp, parseFlags, type FlagSpecs, type ParsedFlags } from './args';
import { ASSIGN_FLAGS, ASSIGN_SUMMARY } from './assignOptions';
import { createContext, type CommandContext, type OrgIo } from './context';
import { DEPLOY_FLAGS, DEPLOY_SUMMARY } from './deployOptions';
import { DOCTOR_FLAGS, DOCTOR_SUMMARY } from './doctorOptions';
import { EXIT, OrgCommandError, authMissing, describeError, isAuthError, type ExitCode } from './errors';
import { EXPORT_CERT_FLAGS, EXPORT_CERT_SUMMARY } from './exportCertOptions';

type Command = (flags: ParsedFlags, context: CommandContext) => Promise<ExitCode>;

interface CommandSpec {
  /** one line (or two) for the overview */
  summary: string;
  flags: FlagSpecs;
  /** the paragraph `<command> --help` prints above the options */
  help: string;
  load: () => Command;
}

/* eslint-disable @typescript-eslint/no-require-imports -- each command module is loaded when that command runs
   (see the header): the same on-demand loading as the service's optional parts in app.ts. */
const COMMANDS: Record<string, CommandSpec> = {
  deploy: {
    summary:
      'upgrade: deploy force-app; first install: --first-install --service-url <https URL> adds bootstrap\n' +
      `${' '.repeat(15)}(--with-legacy-chat, --dry-run, --run-tests)`,
    flags: DEPLOY_FLAGS,
    help: DEPLOY_SUMMARY,
    load: () => (require('./deploy') as typeof import('./deploy')).runDeploy,
  },
  assign: {
    summary: 'assign PrechatGuard_Admin to you, PrechatGuard_Bot_User to --bot-user (--with-legacy-chat)',
    flags: ASSIGN_FLAGS,
    help: ASSIGN_SUMMARY,
    load: () => (require('./assign') as typeof import('./assign')).runAssign,
  },
  'export-cert': {
    summary: "write the org certificate into the service's trust folder",
    flags: EXPORT_CERT_FLAGS,
    help: EXPORT_CERT_SUMMARY,
    load: () => (require('./exportCert') as typeof import('./exportCert')).runExportCert,
  },
  doctor: {
    summary: 'check an installation end to end, one row per check with the fix',
    flags: DOCTOR_FLAGS,
    help: DOCTOR_SUMMARY,
    load: () => (require('./doctor') as typeof import('./doctor')).runDoctor,
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

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

/** The package a failed `require` could not find, when it was a package (not a file of this project). */
function missingPackage(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') return undefined;
  const name = /Cannot find module '([^']+)'/.exec(error.message)?.[1];
  return name !== undefined && !name.startsWith('.') && !path.isAbsolute(name) ? name : undefined;
}

function loadCommand(name: string, spec: CommandSpec): Command {
  try {
    return spec.load();
  } catch (error) {
    const missing = missingPackage(error);
    if (missing === undefined) throw error;
    throw new OrgCommandError(
      'dependencies_missing',
      `org ${name} needs the development dependencies of the repository, and ${missing} is not installed.`,
      'run `npm ci` (without --omit=dev) in the clone of the repository, then run the command again.',
    );
  }
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
    const flags = parseFlags(rest, command.flags, name);
    if (flags['help']) {
      report.info(formatHelp(name, command.help, command.flags));
      return EXIT.ok;
    }
    return await loadCommand(name, command)(flags, context);
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
