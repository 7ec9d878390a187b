// The prechat-guard command line: serve, inspect a token offline, mint a development token, and the org commands.
// Each command lives in its own module; this one dispatches, prints help, and turns errors into exit codes.
import '../requireNode'; // first of all: an unsupported Node is refused before anything else is loaded
import { ConfigError } from '../config';
import { wantsHelp } from './args';
import { CliError, EXIT, UsageError } from './errors';
import { inspect } from './inspect';
import { defaultIo, type Io } from './io';
import { mint } from './mint';
import { COMMAND_USAGE, overviewUsage } from './usage';

export type { Io } from './io';

/** The overview printed by `prechat-guard --help` (kept as an export for callers of the old constant). */
export const USAGE = overviewUsage();

type LocalCommand = keyof typeof COMMAND_USAGE;

function isLocalCommand(name: string): name is LocalCommand {
  return Object.prototype.hasOwnProperty.call(COMMAND_USAGE, name);
}

/* eslint-disable @typescript-eslint/no-require-imports -- the org commands are loaded only when `org` runs: serve,
   inspect, mint and --help never need them, and the npm package leaves them out (see loadOrgCommands). */
const requireOrgCommands = () => require('./org/main') as typeof import('./org/main');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The org commands, or a stable error where they are not shipped. They deploy the Salesforce source of a clone of the
 * repository and use its development dependencies (@salesforce/core, source-deploy-retrieve), so the npm package,
 * which carries the service and its runtime dependencies only, leaves them out.
 */
function loadOrgCommands(): typeof import('./org/main') {
  try {
    return requireOrgCommands();
  } catch (error) {
    const notShipped =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      /Cannot find module '\.\/org\/main'/.test((error as Error).message);
    if (!notShipped) throw error;
    throw new CliError(
      'org_commands_need_clone',
      'the org commands are not part of the npm package: they deploy the Salesforce source of a clone of the ' +
        'repository and need its development dependencies.',
      'run org commands from a clone of the repository: `npm ci`, then `npm run org:<command> -- [options]` ' +
        '(or `npx prechat-guard org <command>` there).',
      EXIT.failed,
    );
  }
}

async function runOrg(args: string[]): Promise<number> {
  // The org commands print their own --help (for `org` and for each subcommand).
  return await loadOrgCommands().runOrgCommand(args);
}

async function serve(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`serve takes no arguments (got "${args[0]}")`, 'serve');
  await import('../main.js');
  // The service runs until a signal stops it (main.ts exits the process).
  return await new Promise<number>(() => undefined);
}

async function help(topic: string | undefined, io: Io): Promise<number> {
  if (topic === undefined) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (topic === 'org') return await runOrg(['--help']);
  if (!isLocalCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
  io.out(COMMAND_USAGE[topic]());
  return EXIT.ok;
}

async function dispatch(command: string | undefined, args: string[], io: Io): Promise<number> {
  if (command === undefined) {
    io.out(USAGE);
    return EXIT.usage;
  }
  if (command === 'help' || command === '--help' || command === '-h') return await help(args[0], io);
  // Forwarded untouched, --help included: the org commands have their own options and help.
  if (command === 'org') return await runOrg(args);
  if (!isLocalCommand(command)) throw new UsageError(`unknown command "${command}"`);
  if (wantsHelp(args)) {
    io.out(COMMAND_USAGE[command]());
    return EXIT.ok;
  }
  switch (command) {
    case 'inspect':
      return await inspect(args, io);
    case 'mint':
      return mint(args, io);
    case 'serve':
      return await serve(args);
  }
}

export async function runCli(argv: string[], io: Io = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    return await dispatch(command, args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const usage =
        error.command !== undefined && isLocalCommand(error.command) ? COMMAND_USAGE[error.command]() : USAGE;
      io.err(`prechat-guard: ${error.message}\n\n${usage}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(`prechat-guard: configuration error: ${error.message}`);
      return EXIT.config;
    }
    if (error instanceof CliError) {
      io.err(`prechat-guard: [${error.code}] ${error.message}\n  Next: ${error.fix}`);
      return error.exitCode;
    }
    throw error;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`prechat-guard: ${error.message}\n`);
      process.exit(1);
    },
  );
}
