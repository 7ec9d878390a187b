// How the command line fails: exit codes, and errors with a stable code, a sentence for a person and what to do next.

/** Exit codes of `prechat-guard` (README, "CLI"; docs/operations.md). */
export const EXIT = {
  ok: 0,
  /** the token is not valid, or the command failed (the output says which check or what) */
  failed: 1,
  /** the command line is wrong: unknown command or option, missing or bad value */
  usage: 2,
  /** configuration error: a bad environment variable, or no usable trust store (sysexits EX_CONFIG) */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line is wrong; the usage of `command` (or the overview) follows the message. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CliErrorCode =
  /** no trust folder configured, and no dev trust folder where one would be */
  | 'no_trust_store'
  /** a trust folder, but no usable certificate in it */
  | 'trust_store_empty'
  /** mint --key: the private key file cannot be read or parsed */
  | 'key_unreadable'
  /** `org …` where the org commands are not installed: the npm package, which leaves them out */
  | 'org_commands_need_clone';

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly fix: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
