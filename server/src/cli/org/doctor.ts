// `org doctor`: checks an installation end to end from outside and prints one row per check with the fix.
import { stringFlag, type ParsedFlags } from './args';
import { connectOrg } from './connect';
import type { CommandContext } from './context';
import {
  checkActionBindings,
  checkCertificate,
  checkComponents,
  checkNamedCredential,
  checkServiceJwks,
  checkServiceReady,
  checkSettings,
  checkTokenMint,
  type CheckRow,
  type DoctorState,
} from './doctorChecks';
import { EXIT, usageError, type ExitCode } from './errors';

const CHECKS: Array<(state: DoctorState) => Promise<CheckRow>> = [
  checkComponents,
  checkActionBindings,
  checkSettings,
  checkCertificate,
  checkNamedCredential,
  checkServiceReady,
  checkServiceJwks,
  checkTokenMint,
];

function normaliseServiceUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--service-url "${value}" is not a URL`, 'e.g. --service-url https://prechat-guard.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usageError('--service-url must be http(s)');
  return url.toString().replace(/\/+$/, '');
}

/** Runs `org doctor` with its parsed options (`--help` is answered before this module is loaded). */
export async function runDoctor(flags: ParsedFlags, context: CommandContext): Promise<ExitCode> {
  const { io, report } = context;
  const target = stringFlag(flags, 'target-org');
  const serviceUrl = normaliseServiceUrl(stringFlag(flags, 'service-url'));
  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  const state: DoctorState = {
    session,
    alias: target ?? '<alias>',
    fetch: io.fetch,
    now: io.now(),
    pollIntervalMs: io.pollIntervalMs,
    serviceUrl,
    serviceUrlSource: serviceUrl ? 'flag' : undefined,
    callerKey: stringFlag(flags, 'caller-key') ?? io.env['PRECHAT_GUARD_DOCTOR_CALLER_KEY'],
    skipMint: flags['skip-mint'] === true,
  };
  const rows: CheckRow[] = [];
  for (const check of CHECKS) {
    // In order: later checks use what earlier ones found (settings → certificate → JWKS comparison).
    const row = await check(state);
    rows.push(row);
    report.info(`  ${row.status.padEnd(4)}  ${row.check}`);
  }

  report.blank();
  report.table(
    ['CHECK', 'RESULT', 'DETAIL'],
    rows.map((row) => [row.check, row.status, row.detail]),
  );
  const toFix = rows.filter(
    (row) => row.fix && (row.status === 'FAIL' || row.status === 'WARN' || row.status === 'SKIP'),
  );
  if (toFix.length > 0) {
    report.blank();
    report.info('What to do:');
    for (const row of toFix) report.info(`  ${row.status} ${row.check}: ${row.fix}`);
  }
  const failed = rows.filter((row) => row.status === 'FAIL').length;
  const warned = rows.filter((row) => row.status === 'WARN').length;
  report.blank();
  if (failed > 0) {
    report.fail(
      `${failed} check(s) failed, ${warned} warning(s).`,
      'fix the FAIL rows above, then run the doctor again.',
    );
    return EXIT.failed;
  }
  report.ok(`All checks passed${warned > 0 ? ` with ${warned} warning(s)` : ''}.`);
  return EXIT.ok;
}
