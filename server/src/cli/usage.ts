// What `prechat-guard --help` and `prechat-guard <command> --help` print. Built when asked, so the numbers are the
// shared constants' (tokens/mint.ts, tokens/verifier.ts), never copies of them.
import { DEFAULT_TTL_SECONDS } from '../tokens/mint';
import { MAX_TOKEN_LIFETIME_S } from '../tokens/verifier';

const EXIT_CODES =
  'Exit codes: 0 ok / token valid, 1 token not valid or command failed, 2 usage error,\n' +
  '78 configuration error (a bad variable, or no usable trust store).';

export function overviewUsage(): string {
  return `Usage: prechat-guard <command> [options]

Commands:
  serve      run the verification service (same as npm start)
  inspect    explain a token offline, check by check, against a trust folder
  mint       mint an identity token for development and tests
  org        admin commands against a Salesforce org: deploy, assign, export-cert, doctor

Run \`prechat-guard <command> --help\` (or \`prechat-guard help <command>\`) for a command's options.
Configuration comes from the environment (docs/configuration.md).
${EXIT_CODES}`;
}

export function inspectUsage(): string {
  return `Usage: prechat-guard inspect <token|-> [options]

Explains a token offline against a trust folder: header, claims with readable times, the clock it was judged by,
and every check (docs/architecture.md §4.2) with pass / fail / not reached / skipped and its reason code. The session binding
is not checked offline (no binding store): a token already bound to another chat can still show VALID here.

Options:
  -                       read the token from standard input
  --user-id <id>          also check that the token belongs to this user (check 11)
  --trust-dir <folder>    the folder of <kid>.crt / <kid>.pem certificates to trust. Default: PRECHAT_GUARD_TRUST_DIR;
                          without it (and outside NODE_ENV=production), the dev trust folder if it exists.
                          inspect never creates keys: with no trust store it stops (no_trust_store, exit 78)
  --issuer <iss>          the expected iss. Default: PRECHAT_GUARD_ISSUER; required with a trust folder
  --audience <aud>        the expected aud. Default: PRECHAT_GUARD_AUDIENCE, else prechat-guard
  -h, --help              this help

Also read from the environment, with the service's rules: PRECHAT_GUARD_ALGORITHMS, PRECHAT_GUARD_CLOCK_TOLERANCE_S,
PRECHAT_GUARD_MAX_TOKEN_AGE_S, PRECHAT_GUARD_LEGACY, PRECHAT_GUARD_DEV_DIR. Nothing else: no caller key, Redis or
other service setting is needed or read.

Exit codes: 0 valid, 1 not valid, 2 usage error, 78 configuration error or no usable trust store
(no_trust_store, trust_store_empty).`;
}

export function mintUsage(): string {
  return `Usage: prechat-guard mint --user-id <id> [options]

Mints an identity token v2 exactly as the Apex issuer does, for development and tests. The token goes to standard
output; what it was minted for (sub, iss, aud, kid, exp) goes to standard error.

Options:
  --user-id <id>          the token's sub: a 15- or 18-character user id (005…). Required
  --ttl <seconds>         lifetime in seconds: default ${DEFAULT_TTL_SECONDS}, at most ${MAX_TOKEN_LIFETIME_S}
  --issuer <iss>          iss. Default: PRECHAT_GUARD_ISSUER; with the dev key, else the dev issuer prechat-guard-dev
  --audience <aud>        aud. Default: PRECHAT_GUARD_AUDIENCE, else prechat-guard
  --key <pem> --kid <kid> sign with this private key, as this kid, instead of the dev key. Then --issuer (or
                          PRECHAT_GUARD_ISSUER) is required: a token for a real trust store never gets the dev issuer
  -h, --help              this help

Without --key the dev key signs (kid prechat-guard-dev, under PRECHAT_GUARD_DEV_DIR, default .prechat-guard/dev). It
is generated there if missing, as npm start does, and only a service using that folder trusts it.

Exit codes: 0 minted, 1 the key file cannot be used, 2 usage error, 78 configuration error.`;
}

export function serveUsage(): string {
  return `Usage: prechat-guard serve

Runs the verification service, as npm start does (build first: npm run build:server). Everything is configured by
the environment (docs/configuration.md); without PRECHAT_GUARD_TRUST_DIR and outside NODE_ENV=production it starts
in dev mode. SIGTERM stops it gracefully.

Exit codes: 0 stopped by SIGTERM or SIGINT, 1 failed to start (or in-flight requests outlived 10 s), 78 configuration
error.`;
}

export const COMMAND_USAGE: Readonly<Record<'inspect' | 'mint' | 'serve', () => string>> = {
  inspect: inspectUsage,
  mint: mintUsage,
  serve: serveUsage,
};
