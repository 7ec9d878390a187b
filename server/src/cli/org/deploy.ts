// `org deploy`: the upgrade (force-app, optionally legacy-chat) or the first install (bootstrap + force-app in one
// all-or-nothing deploy), built with SDR, checked, and deployed over the CLI's stored login; reported per component.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RequestStatus, type ComponentSet, type MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { stringFlag, type ParsedFlags } from './args';
import { connectOrg } from './connect';
import type { CommandContext } from './context';
import {
  bootstrapComponentsIn,
  buildComponentSet,
  buildDeployZip,
  checkDeployZip,
  startZipDeploy,
} from './deployPackage';
import { printDeployOutcome } from './deployReport';
import { EXIT, OrgCommandError, describeError, isAuthError, authMissing, usageError, type ExitCode } from './errors';
import { inspectInstallation, type InstallationState } from './installation';
import {
  PACKAGE_DIRS,
  PLACEHOLDER_HOST,
  describePiece,
  firstInstallCommand,
  planDeploy,
  resolvePlanDirectories,
  singlePieceCommand,
  upgradeCommand,
  validateServiceUrl,
  type DeployPlan,
} from './layout';
import { buildLwc, lwcTsconfigPath } from './lwcBuild';
import type { Reporter } from './output';

// A test method: `@IsTest` on a method (the annotation runs up to `void name(` without crossing a `{` or `;`), or the
// old `testMethod` keyword. An @IsTest class without test methods (a data factory) is left out: RunSpecifiedTests
// rejects classes that have no test methods.
const TEST_METHOD = /@isTest\b[^{;]*?\bvoid\s+\w+\s*\(|\btestMethod\b/i;

/** The Apex test classes of the deployed folders: classes with at least one test method (none hard-coded). */
export async function findTestClasses(components: ComponentSet): Promise<string[]> {
  const names: string[] = [];
  for (const component of components.getSourceComponents().toArray()) {
    if (component.type.name !== 'ApexClass' || !component.content) continue;
    // A handful of small files, read in order for a stable list.
    const body = await readFile(component.content, 'utf8');
    if (TEST_METHOD.test(body)) names.push(component.fullName);
  }
  return names.sort();
}

function parseWaitMinutes(value: string | undefined): number {
  if (value === undefined) return 30;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 240) {
    throw usageError(`--wait must be a whole number of minutes from 1 to 240, not "${value}"`);
  }
  return minutes;
}

function progressLine(status: MetadataApiDeployStatus): string {
  const components = `components ${status.numberComponentsDeployed ?? 0}/${status.numberComponentsTotal ?? 0}`;
  const errors = Number(status.numberComponentErrors ?? 0) > 0 ? `, ${status.numberComponentErrors} with errors` : '';
  const tests =
    Number(status.numberTestsTotal ?? 0) > 0
      ? `; tests ${status.numberTestsCompleted ?? 0}/${status.numberTestsTotal}` +
        (Number(status.numberTestErrors ?? 0) > 0 ? `, ${status.numberTestErrors} failing` : '')
      : '';
  return `  ${status.status}${status.stateDetail ? ` (${status.stateDetail})` : ''}: ${components}${errors}${tests}`;
}

interface LwcOutcome {
  directory: string;
  built: boolean;
  /** TypeScript LWC sources without a tsconfig.json: the bundle would deploy without its .js */
  uncompiled: boolean;
}

function hasTypeScriptLwc(lwcFolder: string): boolean {
  if (!existsSync(lwcFolder)) return false;
  return readdirSync(lwcFolder, { withFileTypes: true, recursive: true }).some(
    (entry) =>
      entry.isFile() &&
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !path.join(entry.parentPath, entry.name).includes(`${path.sep}__tests__${path.sep}`),
  );
}

/** Compiles the TypeScript LWC of every deployed folder that has an lwc/tsconfig.json, in deploy order. */
async function buildAllLwc(directories: string[]): Promise<LwcOutcome[]> {
  const outcomes: LwcOutcome[] = [];
  for (const directory of directories) {
    const lwcFolder = path.dirname(lwcTsconfigPath(directory));
    if (!existsSync(lwcFolder)) continue;
    const build = await buildLwc(directory);
    outcomes.push({ directory, built: build.built, uncompiled: !build.built && hasTypeScriptLwc(lwcFolder) });
  }
  return outcomes;
}

function relativeList(root: string, directories: string[]): string {
  return directories.map((directory) => path.relative(root, directory) || '.').join(', ');
}

/** The org must have every bootstrap piece for an upgrade, and none of them for a first install. */
function checkInstallation(plan: DeployPlan, state: InstallationState, alias: string, report: Reporter): void {
  const list = (pieces: InstallationState['present']): string => pieces.map(describePiece).join(', ');
  const newCertificate = state.missing.some((piece) => piece.type === 'Certificate');
  const partialFix =
    'Deploy only the missing piece(s), never the whole bootstrap folder: ' +
    state.missing.map((piece) => singlePieceCommand(piece, alias)).join('; ') +
    (newCertificate ? ' (the service must then trust the new certificate: npm run org:export-cert)' : '') +
    `. Then run the upgrade: ${upgradeCommand(alias, plan.withLegacyChat)}`;
  if (state.present.length > 0 && state.missing.length > 0) {
    throw new OrgCommandError(
      'bootstrap_incomplete',
      `The org has only part of the first-install pieces: it has ${list(state.present)} but lacks ` +
        `${list(state.missing)}. Neither path deploys into a half-installed org. Nothing was deployed.`,
      partialFix,
    );
  }
  if (plan.firstInstall) {
    if (state.present.length > 0) {
      throw new OrgCommandError(
        'already_installed',
        `The org is already installed (it has ${list(state.present)}); a first install would deploy them again: ` +
          'Salesforce would generate new key pairs for the certificates, so the verification service would stop ' +
          'trusting every token, and the Named Credential URL and the settings record would be reset. Nothing was ' +
          'deployed.',
        `Run the upgrade instead: ${upgradeCommand(alias, plan.withLegacyChat)}`,
      );
    }
    report.ok('The org has none of the first-install pieces: this is a first install.');
    return;
  }
  if (state.present.length === 0) {
    throw new OrgCommandError(
      'not_installed',
      `The org has no prechat-guard installation yet (none of ${list(state.missing)}). An upgrade never deploys ` +
        'those first-install pieces, and force-app does not deploy without them. Nothing was deployed.',
      `Run the first install: ${firstInstallCommand(alias, plan.withLegacyChat)}`,
    );
  }
  report.ok('The org has the first-install pieces; they are left as they are.');
  if (state.namedCredentialUrl && URL.canParse(state.namedCredentialUrl)) {
    if (new URL(state.namedCredentialUrl).hostname === PLACEHOLDER_HOST) {
      report.warn(
        `The Named Credential PrechatGuard_Service still points at the placeholder ${state.namedCredentialUrl}: ` +
          'set its URL in Setup › Named Credentials (then check with npm run org:doctor).',
      );
    }
  }
}

/** Runs `org deploy` with its parsed options (`--help` is answered before this module is loaded). */
export async function runDeploy(flags: ParsedFlags, context: CommandContext): Promise<ExitCode> {
  const { io, report } = context;
  const target = stringFlag(flags, 'target-org');
  const alias = target ?? '<alias>';
  const firstInstall = flags['first-install'] === true;
  const withLegacyChat = flags['with-legacy-chat'] === true;
  const serviceUrlFlag = stringFlag(flags, 'service-url');
  if (!firstInstall && serviceUrlFlag !== undefined) {
    throw usageError(
      '--service-url only applies with --first-install: an upgrade leaves the Named Credential as it is.',
      'to move an installed org to another service, edit Setup › Named Credentials › PrechatGuard_Service › URL.',
    );
  }
  const plan = planDeploy({
    firstInstall,
    withLegacyChat,
    ...(firstInstall ? { serviceUrl: validateServiceUrl(serviceUrlFlag) } : {}),
  });
  const dryRun = flags['dry-run'] === true;
  const runTests = flags['run-tests'] === true;
  const waitMinutes = parseWaitMinutes(stringFlag(flags, 'wait'));
  const root = io.cwd;
  const directories = resolvePlanDirectories(root, plan);
  const folders = relativeList(root, directories);

  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  const which = firstInstall ? `First install (${folders})` : `Upgrade (${folders})`;
  report.step(`${which}: checking which first-install pieces the org already has…`);
  checkInstallation(plan, await inspectInstallation(session.connection), alias, report);
  if (!withLegacyChat)
    report.info(`  ${PACKAGE_DIRS.legacyChat} not included (add --with-legacy-chat for legacy Chat)`);

  if (flags['skip-lwc-build'] !== true) {
    report.step('Compiling the TypeScript LWC…');
    const outcomes = await buildAllLwc(directories);
    for (const outcome of outcomes) {
      const tsconfig = path.relative(root, lwcTsconfigPath(outcome.directory));
      if (outcome.built) report.ok(`LWC compiled (${tsconfig})`);
      else if (outcome.uncompiled)
        report.warn(`no ${tsconfig}: the TypeScript LWC in ${path.dirname(tsconfig)} deploy without their .js`);
      else report.info(`  no ${tsconfig}; nothing to compile`);
    }
    if (outcomes.length === 0) report.info('  no LWC in the deployed folders; nothing to compile');
  }

  const components = buildComponentSet(root, directories);
  const count = components.getSourceComponents().toArray().length;
  if (!firstInstall) {
    const bootstrap = bootstrapComponentsIn(components);
    if (bootstrap.length > 0) {
      throw new OrgCommandError(
        'bootstrap_in_upgrade',
        `${folders} contains first-install metadata (${bootstrap.join(', ')}); an upgrade carrying it would replace ` +
          "the org's certificates, credentials or settings. Nothing was deployed.",
        `Move those files into ${PACKAGE_DIRS.bootstrap}/ (they belong to the first install only).`,
      );
    }
  }
  const testClasses = runTests ? await findTestClasses(components) : [];
  if (runTests && testClasses.length === 0) {
    throw new OrgCommandError(
      'no_test_classes',
      `--run-tests was given but ${folders} has no Apex class with test methods.`,
      'Deploy without --run-tests.',
    );
  }

  const zip = await buildDeployZip(components, plan.serviceUrl);
  checkDeployZip(zip, plan);
  if (plan.serviceUrl) report.ok(`Named Credential PrechatGuard_Service will point at ${plan.serviceUrl}`);

  const mode = dryRun ? 'Validating (check-only, nothing is saved)' : 'Deploying';
  const tests = runTests ? ` and running ${testClasses.length} Apex test class(es): ${testClasses.join(', ')}` : '';
  report.step(`${mode} ${count} component(s) from ${folders} in one deploy${tests}…`);

  let status: MetadataApiDeployStatus;
  let deployId: string | undefined;
  try {
    const operation = await startZipDeploy(session.connection, zip, {
      checkOnly: dryRun,
      // All or nothing: a first install that fails leaves no certificate, credential or record behind.
      rollbackOnError: true,
      ...(runTests ? { testLevel: 'RunSpecifiedTests' as const, runTests: testClasses } : {}),
    });
    deployId = operation.id;
    report.info(`  deploy id ${deployId ?? 'unknown'} (also visible in Setup › Deployment Status)`);
    let lastLine = '';
    operation.onUpdate((update) => {
      const line = progressLine(update);
      if (line !== lastLine) report.info(line);
      lastLine = line;
    });
    const result = await operation.pollStatus(io.pollIntervalMs, waitMinutes * 60);
    status = result.response;
  } catch (error) {
    if (isAuthError(error)) throw authMissing(target, describeError(error));
    throw new OrgCommandError(
      'deploy_failed',
      `The deploy did not complete: ${describeError(error)}`,
      deployId
        ? `Look up deploy ${deployId} in Setup › Deployment Status; run again with a longer --wait if it timed out.`
        : 'Check your network and the org, then run again.',
    );
  }

  printDeployOutcome(report, status);
  report.blank();
  if (status.status === RequestStatus.Succeeded) {
    report.ok(
      dryRun
        ? `Validation succeeded: ${status.numberComponentsTotal} component(s) would deploy. Nothing was saved.`
        : `Deployed ${status.numberComponentsDeployed} component(s).`,
    );
    if (!dryRun) {
      const legacy = withLegacyChat ? ' --with-legacy-chat' : '';
      if (firstInstall) {
        report.info(`Next: npm run org:assign -- --target-org ${alias}${legacy} --bot-user <bot-or-agent-username>`);
        report.info(`      npm run org:export-cert -- --target-org ${alias} --out <service trust folder>`);
        report.info(`      npm run org:doctor -- --target-org ${alias}`);
        report.info(`Later upgrades: ${upgradeCommand(alias, withLegacyChat)} (never --first-install again)`);
      } else {
        report.info(`Next: npm run org:assign -- --target-org ${alias}${legacy}`);
        report.info(`      npm run org:doctor -- --target-org ${alias}`);
      }
    }
    return EXIT.ok;
  }
  report.fail(
    `${dryRun ? 'Validation' : 'Deploy'} ${status.status}: ${status.numberComponentErrors ?? 0} component error(s), ` +
      `${status.numberTestErrors ?? 0} test failure(s). ${dryRun ? '' : 'Nothing was saved (rollback on error).'}`.trim(),
    `Fix the rows above in ${folders} (file and line are given), then run the same command again.`,
  );
  return EXIT.failed;
}
