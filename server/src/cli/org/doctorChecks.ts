// The doctor's checks, each one row: what was checked, PASS/WARN/FAIL/SKIP, what was seen, and the fix.
import type { Connection } from '@salesforce/core';
import { analyseActionBindings, applyVersionStatus, summariseBindings } from './actionBindings';
import { retrieveAgentMetadata } from './agentMetadata';
import { assessValidity, inspectCertificate, retrieveCertificate, type InspectedCertificate } from './certificate';
import { soqlList, soqlString, type OrgSession } from './connect';
import { OrgCommandError, describeError } from './errors';
import { checkTokenLocally } from './identityToken';
import { PLACEHOLDER_HOST, firstInstallCommand, singlePieceCommand, type BootstrapPiece } from './layout';
import { parseJson, probe, snippet } from './serviceProbe';
import { PACKAGE_NAMES, readSettings, type PrechatGuardSettings } from './settings';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface CheckRow {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
  /** a stable code for the row's outcome, where the check defines one */
  code?: string;
}

export interface DoctorState {
  session: OrgSession;
  alias: string;
  fetch: typeof fetch;
  now: Date;
  pollIntervalMs: number;
  serviceUrl?: string;
  serviceUrlSource?: 'flag' | 'named credential';
  callerKey?: string;
  skipMint: boolean;
  settings?: PrechatGuardSettings;
  certificate?: InspectedCertificate;
}

// force-app pieces come back with an upgrade deploy; bootstrap pieces only with the first install, or one by one.
const deployFix = (state: DoctorState): string => `npm run org:deploy -- --target-org ${state.alias}`;
const firstInstallFix = (state: DoctorState, piece: BootstrapPiece): string =>
  `if nothing is installed yet: ${firstInstallCommand(state.alias)}; if only ${piece.type} ${piece.name} is ` +
  `missing: ${singlePieceCommand(piece, state.alias)}`;

async function names(connection: Connection, soql: string): Promise<Set<string>> {
  const rows = (await connection.query<{ Name?: string; DeveloperName?: string }>(soql)).records;
  return new Set(rows.map((row) => row.Name ?? row.DeveloperName ?? ''));
}

export async function checkComponents(state: DoctorState): Promise<CheckRow> {
  const check = 'Package components';
  const { connection } = state.session;
  const classes: readonly string[] = PACKAGE_NAMES.apexClasses;
  const sets = [PACKAGE_NAMES.adminPermissionSet, PACKAGE_NAMES.botPermissionSet, PACKAGE_NAMES.sitePermissionSet];
  try {
    const foundClasses = await names(connection, `SELECT Name FROM ApexClass WHERE Name IN ${soqlList(classes)}`);
    const foundSets = await names(connection, `SELECT Name FROM PermissionSet WHERE Name IN ${soqlList(sets)}`);
    const missing = [...classes, ...sets].filter((name) => !foundClasses.has(name) && !foundSets.has(name));
    if (missing.length > 0) {
      return { check, status: 'FAIL', detail: `missing: ${missing.join(', ')}`, fix: deployFix(state) };
    }
    return { check, status: 'PASS', detail: `${classes.length} Apex classes and ${sets.length} permission sets found` };
  } catch (error) {
    return { check, status: 'FAIL', detail: `could not query the org: ${describeError(error)}`, fix: deployFix(state) };
  }
}

/** "Bot/v1" (lower case) → BotVersion.Status; empty when the org does not answer (then no version counts as inactive). */
async function botVersionStatuses(connection: Connection, bots: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  if (bots.length === 0) return statuses;
  try {
    const rows = (
      await connection.query<{ DeveloperName?: string; Status?: string; BotDefinition?: { DeveloperName?: string } }>(
        `SELECT DeveloperName, Status, BotDefinition.DeveloperName FROM BotVersion WHERE BotDefinition.DeveloperName IN ${soqlList(bots)}`,
      )
    ).records;
    for (const row of rows) {
      const bot = row.BotDefinition?.DeveloperName;
      if (bot && row.DeveloperName && row.Status) statuses.set(`${bot}/${row.DeveloperName}`.toLowerCase(), row.Status);
    }
  } catch {
    // BotVersion is queryable from API 63.0; without an answer every version counts as possibly active.
  }
  // UNVERIFIED: that BotVersion.DeveloperName equals the version's metadata fullName ("v1"); a name that does not
  // match leaves the version's status unknown, which keeps its findings at full weight (never hides a FAIL).
  return statuses;
}

/**
 * Every use of a package action in an agent (GenAiPlannerBundle) or an Einstein Bot must take Chat Record Id from the
 * context variable linked to the chat record (MessagingSession.Id), never from the language model or a variable the
 * conversation can set. Metadata is retrieved read-only; see actionBindings.ts for what is accepted and what is not
 * verified.
 */
export async function checkActionBindings(state: DoctorState): Promise<CheckRow> {
  const check = 'Action inputs bound';
  const { connection } = state.session;
  let metadata;
  try {
    metadata = await retrieveAgentMetadata(connection, { pollIntervalMs: state.pollIntervalMs, timeoutSeconds: 300 });
  } catch (error) {
    return {
      check,
      status: 'SKIP',
      code: 'action_inputs_not_checked',
      detail: `could not retrieve agent or bot metadata: ${describeError(error)}`,
    };
  }
  const analysis = analyseActionBindings(metadata.files);
  let findings = analysis.findings;
  if (findings.some((finding) => finding.level !== 'ok')) {
    // Only then is it worth asking which versions are active: an unbound input in an inactive version is a warning.
    const bots = [...new Set(findings.map((finding) => finding.botName).filter((name): name is string => !!name))];
    findings = applyVersionStatus(findings, await botVersionStatuses(connection, bots));
  }
  return { check, ...summariseBindings(analysis, metadata.reads, findings) };
}

export async function checkSettings(state: DoctorState): Promise<CheckRow> {
  const check = 'Settings record';
  const lookup = await readSettings(state.session.connection);
  if (!lookup.found) {
    // The record is in bootstrap, which an upgrade never deploys; the type is in force-app.
    const record: BootstrapPiece = {
      type: 'CustomMetadata',
      name: `${PACKAGE_NAMES.settingsType.replace(/__mdt$/, '')}.${PACKAGE_NAMES.settingsRecord}`,
    };
    return {
      check,
      status: 'FAIL',
      detail: lookup.detail,
      fix:
        `${firstInstallFix(state, record)}; or create the record Setup › Custom Metadata Types › PrechatGuard ` +
        `Setting › Manage Records › New, named ${PACKAGE_NAMES.settingsRecord}`,
    };
  }
  const settings = lookup.settings;
  state.settings = settings;
  const problems: string[] = [];
  if (settings.ttlSeconds !== null && (settings.ttlSeconds < 1 || settings.ttlSeconds > 3600)) {
    problems.push(`Token_TTL_Seconds__c is ${settings.ttlSeconds}; it must be 1–3600`);
  }
  if (settings.algorithm !== 'RS256' && settings.algorithm !== 'RS512') {
    problems.push(`Algorithm__c is "${settings.algorithm}"; it must be RS256 or RS512`);
  }
  if (problems.length > 0) {
    return {
      check,
      status: 'FAIL',
      detail: problems.join('; '),
      fix: `edit Setup › Custom Metadata Types › PrechatGuard Setting › ${PACKAGE_NAMES.settingsRecord}`,
    };
  }
  const issuer = settings.issuer ?? `${state.session.orgId} (org id)`;
  return {
    check,
    status: 'PASS',
    detail:
      `certificate ${settings.certificateName}, kid ${settings.kid}, issuer ${issuer}, audience ${settings.audience}, ` +
      `${settings.algorithm}, TTL ${settings.ttlSeconds ?? 'default'} s, mode ${settings.verificationMode ?? 'default'}`,
  };
}

export async function checkCertificate(state: DoctorState): Promise<CheckRow> {
  const name = state.settings?.certificateName ?? PACKAGE_NAMES.certificate;
  const check = `Certificate ${name}`;
  const rotateFix = 'create a new certificate and follow docs/install.md › "Rotate the certificate without downtime"';
  let certificate: InspectedCertificate;
  try {
    const content = await retrieveCertificate(state.session.connection, name, {
      pollIntervalMs: state.pollIntervalMs,
      timeoutSeconds: 120,
    });
    certificate = inspectCertificate(content, name);
  } catch (error) {
    const fix = error instanceof OrgCommandError ? error.fix : undefined;
    return {
      check,
      status: 'FAIL',
      detail: describeError(error),
      fix: fix ?? firstInstallFix(state, { type: 'Certificate', name }),
    };
  }
  state.certificate = certificate;
  const validity = assessValidity(certificate, state.now);
  const size = `RSA ${certificate.modulusBits}`;
  if (validity.level === 'error')
    return { check, status: 'FAIL', detail: `${size}; ${validity.message}`, fix: rotateFix };
  if (validity.level === 'warn')
    return { check, status: 'WARN', detail: `${size}; ${validity.message}`, fix: rotateFix };
  return { check, status: 'PASS', detail: `${size}; ${validity.message}` };
}

function origin(url: string): string | null {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return null;
  }
}

export async function checkNamedCredential(state: DoctorState): Promise<CheckRow> {
  const name = state.settings?.namedCredential ?? PACKAGE_NAMES.namedCredential;
  const check = `Named Credential ${name}`;
  if (state.settings?.verificationMode === 'InOrg') {
    return { check, status: 'SKIP', detail: 'Verification_Mode__c is InOrg: the org makes no callout' };
  }
  const setupFix = `Setup › Named Credentials › ${name} › Edit › URL = ${state.serviceUrl ?? 'https://<your service host>'}`;
  let rows: Array<{ DeveloperName: string; Endpoint?: string | null }>;
  try {
    rows = (
      await state.session.connection.query<{ DeveloperName: string; Endpoint?: string | null }>(
        `SELECT DeveloperName, Endpoint FROM NamedCredential WHERE DeveloperName = ${soqlString(name)} LIMIT 1`,
      )
    ).records;
  } catch (error) {
    return { check, status: 'FAIL', detail: `could not query: ${describeError(error)}`, fix: deployFix(state) };
  }
  const endpoint = rows[0]?.Endpoint ?? null;
  if (!rows[0]) {
    return {
      check,
      status: 'FAIL',
      detail: 'not in the org',
      fix: firstInstallFix(state, { type: 'NamedCredential', name }),
    };
  }
  if (!endpoint || !origin(endpoint)) {
    return { check, status: 'FAIL', detail: `its URL is ${JSON.stringify(endpoint)}`, fix: setupFix };
  }
  if (new URL(endpoint).hostname === PLACEHOLDER_HOST) {
    // bootstrap's placeholder: the first install replaces it with --service-url; a plain `sf` deploy may not have.
    return { check, status: 'FAIL', detail: `still the package placeholder ${endpoint}`, fix: setupFix };
  }
  if (!state.serviceUrl) {
    state.serviceUrl = endpoint.replace(/\/+$/, '');
    state.serviceUrlSource = 'named credential';
    return { check, status: 'PASS', detail: `points at ${endpoint} (used as the service URL below)` };
  }
  if (origin(endpoint) !== origin(state.serviceUrl)) {
    return {
      check,
      status: 'FAIL',
      detail: `points at ${endpoint}, but the service is ${state.serviceUrl}`,
      fix: setupFix,
    };
  }
  return { check, status: 'PASS', detail: `points at ${endpoint}` };
}

const noService = (check: string): CheckRow => ({
  check,
  status: 'SKIP',
  detail: 'no service URL',
  fix: 'pass --service-url https://<your service host>',
});

export async function checkServiceReady(state: DoctorState): Promise<CheckRow> {
  const check = 'Service /readyz';
  if (!state.serviceUrl) return noService(check);
  const url = `${state.serviceUrl}/readyz`;
  const response = await probe(state.fetch, url);
  if ('error' in response) {
    return {
      check,
      status: 'FAIL',
      detail: `cannot reach ${url}: ${response.error}`,
      fix: 'start the service, or check the URL, DNS, TLS and firewall',
    };
  }
  if (response.status !== 200) {
    return {
      check,
      status: 'FAIL',
      detail: `${url} answered ${response.status}: ${snippet(response.body)}`,
      fix: 'read the service log: /readyz fails while no trusted key is loaded or the binding store is unreachable',
    };
  }
  return { check, status: 'PASS', detail: `${url} answered 200` };
}

export async function checkServiceJwks(state: DoctorState): Promise<CheckRow> {
  const kid = state.settings?.kid ?? PACKAGE_NAMES.kid;
  const check = `Service JWKS has kid ${kid}`;
  if (!state.serviceUrl) return noService(check);
  const exportFix =
    `npm run org:export-cert -- --target-org ${state.alias} --out <the service's PRECHAT_GUARD_TRUST_DIR>` +
    ' (the service reloads certificates on change)';
  const url = `${state.serviceUrl}/.well-known/jwks.json`;
  const response = await probe(state.fetch, url);
  if ('error' in response || response.status !== 200) {
    const why = 'error' in response ? response.error : `status ${response.status}`;
    return { check, status: 'FAIL', detail: `cannot read ${url}: ${why}`, fix: 'check the service URL and its log' };
  }
  const keys = (parseJson(response.body) as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys)) return { check, status: 'FAIL', detail: `${url} is not a JWK Set`, fix: exportFix };
  const entry = keys.find((key) => (key as { kid?: unknown })?.kid === kid) as { n?: unknown } | undefined;
  if (!entry) {
    const listed = keys.map((key) => String((key as { kid?: unknown })?.kid)).join(', ') || 'none';
    return { check, status: 'FAIL', detail: `kid ${kid} not published (published: ${listed})`, fix: exportFix };
  }
  if (!state.certificate) {
    return { check, status: 'WARN', detail: `kid ${kid} published; not compared (org certificate unavailable)` };
  }
  if (entry.n !== state.certificate.n) {
    return {
      check,
      status: 'FAIL',
      detail: `the service trusts a different key under kid ${kid} than the org certificate`,
      fix: `${exportFix}; use --force only if the old key is retired`,
    };
  }
  return { check, status: 'PASS', detail: `kid ${kid} published and matches the org certificate` };
}

interface Identity {
  loggedIn?: boolean;
  userId?: string | null;
  token?: string | null;
}

const MARKER = 'PRECHAT_GUARD_DOCTOR ';
/**
 * Anonymous Apex cannot return a value, so the block ends with a deliberate assertion failure carrying the identity as
 * JSON; the failure also rolls back anything the call did.
 */
export const MINT_APEX =
  `${PACKAGE_NAMES.identityController}.Identity identity = ${PACKAGE_NAMES.identityController}.getIdentity();\n` +
  `System.assert(false, '${MARKER}' + JSON.serialize(identity));`;

async function mayRunAnonymousApex(state: DoctorState): Promise<boolean> {
  const { connection } = state.session;
  let userId = connection.getAuthInfoFields().userId;
  if (!userId) {
    const users = await connection.query<{ Id: string }>(
      `SELECT Id FROM User WHERE Username = ${soqlString(state.session.username)} LIMIT 1`,
    );
    userId = users.records[0]?.Id;
  }
  if (!userId) return false;
  // Profiles are permission sets too (IsOwnedByProfile), so this one query covers profile and assigned sets.
  const grants = await connection.query(
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)} ` +
      'AND PermissionSet.PermissionsAuthorApex = true LIMIT 1',
  );
  return grants.records.length > 0;
}

function reasonFix(reason: string, state: DoctorState): string {
  switch (reason) {
    case 'unknown_key':
    case 'bad_signature':
      return `npm run org:export-cert -- --target-org ${state.alias} --out <the service's trust folder>`;
    case 'wrong_issuer':
      return `set the service's PRECHAT_GUARD_ISSUER to ${state.settings?.issuer ?? state.session.orgId}`;
    case 'wrong_audience':
      return `set the service's PRECHAT_GUARD_AUDIENCE to ${state.settings?.audience ?? PACKAGE_NAMES.audience}`;
    case 'unsupported_algorithm':
      return `add ${state.settings?.algorithm ?? 'RS256'} to the service's PRECHAT_GUARD_ALGORITHMS`;
    default:
      return 'compare the service configuration with the settings record (docs/configuration.md)';
  }
}

export async function checkTokenMint(state: DoctorState): Promise<CheckRow> {
  const check = 'Token minted in the org verifies';
  if (state.skipMint) return { check, status: 'SKIP', detail: '--skip-mint given' };
  try {
    if (!(await mayRunAnonymousApex(state))) {
      return {
        check,
        status: 'SKIP',
        detail: 'your user may not run anonymous Apex (needs "Author Apex")',
        fix: 'run the doctor as an admin with Author Apex to include this check',
      };
    }
  } catch (error) {
    return { check, status: 'SKIP', detail: `could not read your permissions: ${describeError(error)}` };
  }
  let result: { compiled?: boolean; compileProblem?: string | null; success?: boolean; exceptionMessage?: string };
  try {
    result = (await state.session.connection.tooling.executeAnonymous(MINT_APEX)) as typeof result;
  } catch (error) {
    return { check, status: 'FAIL', detail: `anonymous Apex call failed: ${describeError(error)}` };
  }
  if (!result.compiled) {
    return {
      check,
      status: 'FAIL',
      detail: `${PACKAGE_NAMES.identityController} is not usable: ${result.compileProblem ?? 'compile error'}`,
      fix: deployFix(state),
    };
  }
  const message = result.exceptionMessage ?? '';
  const at = message.indexOf(MARKER);
  const identity = at === -1 ? undefined : (parseJson(message.slice(at + MARKER.length)) as Identity | undefined);
  if (!identity) {
    return { check, status: 'FAIL', detail: `getIdentity() did not complete: ${snippet(message || 'no output')}` };
  }
  if (!identity.loggedIn || !identity.token) {
    return {
      check,
      status: 'WARN',
      detail: 'getIdentity() issued no token to your user (tokens go to logged-in site users)',
      fix: 'check the chat from a logged-in site user instead',
    };
  }
  if (state.serviceUrl && state.callerKey) {
    const url = `${state.serviceUrl}/v1/verify`;
    // No sessionKey: a stateless check that does not bind (and so does not use up) the token.
    const response = await probe(state.fetch, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.callerKey}` },
      body: JSON.stringify({ token: identity.token, userId: identity.userId ?? undefined }),
    });
    if ('error' in response) return { check, status: 'FAIL', detail: `cannot reach ${url}: ${response.error}` };
    if (response.status === 401) {
      return { check, status: 'FAIL', detail: 'the service refused the caller key (401)', fix: 'check --caller-key' };
    }
    const answer = parseJson(response.body) as { valid?: boolean; reason?: string; detail?: string } | undefined;
    if (response.status === 200 && answer?.valid === true) {
      return { check, status: 'PASS', detail: `the service verified a fresh token for ${identity.userId}` };
    }
    if (response.status === 200 && answer?.valid === false && answer.reason) {
      return {
        check,
        status: 'FAIL',
        detail: `the service answered ${answer.reason}: ${answer.detail ?? ''}`.trim(),
        fix: reasonFix(answer.reason, state),
      };
    }
    return { check, status: 'FAIL', detail: `${url} answered ${response.status}: ${snippet(response.body)}` };
  }
  if (!state.certificate) {
    return { check, status: 'WARN', detail: 'token minted, but no certificate to check it against' };
  }
  const problem = checkTokenLocally(identity.token, state.certificate, {
    kid: state.settings?.kid ?? PACKAGE_NAMES.kid,
    issuer: state.settings?.issuer ?? state.session.orgId,
    audience: state.settings?.audience ?? PACKAGE_NAMES.audience,
  });
  if (problem) return { check, status: 'FAIL', detail: problem, fix: 'check the settings record and the certificate' };
  return {
    check,
    status: 'PASS',
    detail: 'token verified locally against the org certificate (add --caller-key to verify through the service)',
  };
}
