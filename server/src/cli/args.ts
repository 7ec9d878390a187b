// Command-line arguments: `--name value` or `--name=value` options from a fixed list, positionals, and --help.
import { UsageError } from './errors';

export interface ParsedArgs {
  positional: string[];
  options: Partial<Record<string, string>>;
}

/** --help / -h anywhere wins over everything else, valid or not: asking how to use a command is never an error. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/**
 * Reads `args` against the options a command knows (each takes one value). An unknown option is a usage error rather
 * than ignored: a mistyped `--isuer` must not quietly mint or inspect with the default.
 */
export function parseArgs(args: readonly string[], known: readonly string[], command: string): ParsedArgs {
  const positional: string[] = [];
  const options: Partial<Record<string, string>> = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    // A lone "-" means standard input; a token never starts with "-" (base64url JWTs start with "ey").
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    if (!known.includes(name)) throw new UsageError(`unknown option ${name} for "${command}"`, command);
    let value: string | undefined;
    if (equals !== -1) value = arg.slice(equals + 1);
    else {
      value = args[index + 1];
      index += 1;
    }
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new UsageError(`${name} needs a value`, command);
    }
    if (options[name] !== undefined) throw new UsageError(`${name} is given twice`, command);
    options[name] = value;
  }
  return { positional, options };
}
