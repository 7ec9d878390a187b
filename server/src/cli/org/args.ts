// A small, strict command-line parser: known flags only, `--flag value` or `--flag=value`, booleans without a value.
import { usageError } from './errors';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** one-letter alias, e.g. `o` for `-o` */
  short?: string;
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** The org every admin command works on, named as the sf CLI names it. */
export const TARGET_ORG_FLAG: FlagSpec = {
  type: 'string',
  short: 'o',
  description: 'alias or username of an org authorised with the sf CLI',
};
export type ParsedFlags = Record<string, string | boolean | undefined>;

export function parseFlags(argv: string[], specs: FlagSpecs, command: string): ParsedFlags {
  const parsed: ParsedFlags = {};
  const byShort = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])));
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (!name)
        throw usageError(`unknown option ${arg} for "${command}"`, `run \`prechat-guard org ${command} --help\``);
    } else {
      throw usageError(`unexpected argument "${arg}" for "${command}"`, `run \`prechat-guard org ${command} --help\``);
    }
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec)
      throw usageError(`unknown option --${name} for "${command}"`, `run \`prechat-guard org ${command} --help\``);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw usageError(`--${name} takes no value`);
      parsed[name] = true;
      continue;
    }
    const value = inline ?? argv[index + 1];
    if (inline === undefined) index += 1;
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('-'))) {
      throw usageError(`--${name} needs a value`, `e.g. --${name} <${name}>`);
    }
    parsed[name] = value;
  }
  return parsed;
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function formatHelp(command: string, summary: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` <${name}>` : ''}`;
    return `  ${left.padEnd(34)} ${spec.description}`;
  });
  return `Usage: prechat-guard org ${command} [options]\n\n${summary}\n\nOptions:\n${rows.join('\n')}\n`;
}
