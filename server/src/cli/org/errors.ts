// Every failure an admin can meet carries a stable code, the process exit code, a sentence for a person and the fix.

/** Exit codes of `prechat-guard org <command>` (documented in docs/install.md, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** a deploy, a check or a certificate failed; the output says which and what to do */
  failed: 1,
  /** the command line is wrong (unknown flag, missing value, bad kid, bad --service-url) */
  usage: 2,
  /** no usable Salesforce CLI login for the org */
  authMissing: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type OrgErrorCode =
  | 'usage_error'
  | 'auth_missing'
  | 'no_components'
  | 'source_invalid'
  | 'lwc_build_failed'
  | 'deploy_failed'
  | 'no_test_classes'
  | 'service_url_missing'
  | 'service_url_invalid'
  | 'not_installed'
  | 'already_installed'
  | 'bootstrap_incomplete'
  | 'bootstrap_in_upgrade'
  | 'replacement_not_applied'
  | 'permission_set_missing'
  | 'user_not_found'
  | 'certificate_not_found'
  | 'certificate_unreadable'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_key_too_small'
  | 'kid_invalid'
  | 'kid_mismatch'
  | 'kid_in_use'
  | 'kid_conflict'
  | 'dependencies_missing'
  | 'org_request_failed';

export class OrgCommandError extends Error {
  constructor(
    readonly code: OrgErrorCode,
    message: string,
    readonly fix?: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'OrgCommandError';
  }
}

export function usageError(message: string, fix?: string): OrgCommandError {
  return new OrgCommandError('usage_error', message, fix, EXIT.usage);
}

export function loginCommand(alias: string | undefined): string {
  return `sf org login web --alias ${alias ?? 'my-org'}`;
}

export function authMissing(alias: string | undefined, cause: string): OrgCommandError {
  const who = alias ? `"${alias}"` : 'the default org (no --target-org given and no target-org configured)';
  return new OrgCommandError(
    'auth_missing',
    `No usable Salesforce CLI login for ${who}: ${cause}`,
    `Run \`${loginCommand(alias)}\` (for a sandbox add \`--instance-url https://test.salesforce.com\`), ` +
      'then run this command again with --target-org <that alias>.',
    EXIT.authMissing,
  );
}

// Names @salesforce/core and jsforce give to "this login does not exist or no longer works".
const AUTH_ERROR_NAMES = new Set([
  'NamedOrgNotFoundError',
  'NoUsernameFoundError',
  'NoDefaultEnvError',
  'NoOrgFound',
  'AuthInfoCreationError',
  'RefreshTokenAuthError',
  'OrgDataNotAvailableError',
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
]);
const AUTH_ERROR_TEXT =
  /invalid_grant|expired access\/refresh token|INVALID_SESSION_ID|No authorization information found/i;

/** True when an error from @salesforce/core or jsforce means the stored CLI login is missing or no longer valid. */
export function isAuthError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const withCode = error as Error & { errorCode?: unknown };
  return (
    AUTH_ERROR_NAMES.has(error.name) ||
    (typeof withCode.errorCode === 'string' && AUTH_ERROR_NAMES.has(withCode.errorCode)) ||
    AUTH_ERROR_TEXT.test(error.message)
  );
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
