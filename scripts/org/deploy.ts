// `org deploy`: build the TypeScript LWC, deploy force-app with SDR over the CLI's stored login, report per component.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ComponentSet, RequestStatus, type MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { formatHelp, parseFlags, stringFlag, type FlagSpecs } from './args';
import { connectOrg } from './connect';
import type { CommandContext } from './context';
import { printDeployOutcome } from './deployReport';
import { EXIT, OrgCommandError, describeError, isAuthError, authMissing, usageError, type ExitCode } from './errors';
import { buildLwc } from './lwcBuild';

export const DEPLOY_FLAGS: FlagSpecs = {
  'target-org': { type: 'string', short: 'o', description: 'alias or username of an org authorised with the sf CLI' },
  'source-dir': { type: 'string', description: 'Salesforce DX source folder to deploy (default force-app)' },
  'dry-run': { type: 'boolean', description: 'validate only (check-only deploy): nothing is saved in the org' },
  'run-tests': { type: 'boolean', description: "run the package's Apex tests and print coverage per class" },
  wait: { type: 'string', description: 'minutes to wait for the deploy to finish (default 30)' },
  'skip-lwc-build': { type: 'boolean', description: 'deploy the compiled .js as it is, without running tsc first' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const DEPLOY_SUMMARY =
  'Builds the TypeScript LWC and deploys the Salesforce package (force-app) with your Salesforce CLI login.';

// A test method: `@IsTest` on a method (the annotation runs up to `void name(` without crossing a `{` or `;`), or the
// old `testMethod` keyword. An @IsTest class without test methods (a data factory) is left out: RunSpecifiedTests
// rejects classes that have no test methods.
const TEST_METHOD = /@isTest\b[^{;]*?\bvoid\s+\w+\s*\(|\btestMethod\b/i;

/** The package's Apex test classes: classes in the source folder with at least one test method. */
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

export async function runDeploy(argv: string[], context: CommandContext): Promise<ExitCode> {
  const { io, report } = context;
  const flags = parseFlags(argv, DEPLOY_FLAGS, 'deploy');
  if (flags['help']) {
    report.info(formatHelp('deploy', DEPLOY_SUMMARY, DEPLOY_FLAGS));
    return EXIT.ok;
  }
  const target = stringFlag(flags, 'target-org');
  const sourceDir = path.resolve(io.cwd, stringFlag(flags, 'source-dir') ?? 'force-app');
  const dryRun = flags['dry-run'] === true;
  const runTests = flags['run-tests'] === true;
  const waitMinutes = parseWaitMinutes(stringFlag(flags, 'wait'));
  if (!existsSync(sourceDir)) {
    throw usageError(`source folder ${sourceDir} does not exist`, 'run from the project root or pass --source-dir');
  }

  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  if (flags['skip-lwc-build'] !== true) {
    report.step('Compiling the TypeScript LWC…');
    const build = await buildLwc(sourceDir);
    if (build.built) report.ok('LWC compiled');
    else report.info(`  no ${path.relative(io.cwd, build.tsconfig)}; nothing to compile`);
  }

  let components: ComponentSet;
  try {
    components = ComponentSet.fromSource(sourceDir);
  } catch (error) {
    throw new OrgCommandError(
      'source_invalid',
      `${sourceDir} cannot be read as Salesforce DX source: ${describeError(error)}`,
      'Fix or remove the file named above, then run again.',
    );
  }
  const count = components.getSourceComponents().toArray().length;
  if (count === 0) {
    throw new OrgCommandError(
      'no_components',
      `No deployable metadata found in ${sourceDir}.`,
      'Check --source-dir and .forceignore.',
      EXIT.usage,
    );
  }
  const testClasses = runTests ? await findTestClasses(components) : [];
  if (runTests && testClasses.length === 0) {
    throw new OrgCommandError(
      'no_test_classes',
      `--run-tests was given but ${sourceDir} has no @IsTest Apex class.`,
      'Deploy without --run-tests, or check --source-dir.',
    );
  }

  const mode = dryRun ? 'Validating (check-only, nothing is saved)' : 'Deploying';
  const tests = runTests ? ` and running ${testClasses.length} Apex test class(es): ${testClasses.join(', ')}` : '';
  report.step(`${mode} ${count} component(s) from ${path.relative(io.cwd, sourceDir) || '.'}${tests}…`);

  let status: MetadataApiDeployStatus;
  let deployId: string | undefined;
  try {
    const operation = await components.deploy({
      usernameOrConnection: session.connection,
      apiOptions: {
        checkOnly: dryRun,
        rollbackOnError: true,
        ...(runTests ? { testLevel: 'RunSpecifiedTests' as const, runTests: testClasses } : {}),
      },
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
      const alias = target ?? '<alias>';
      report.info(`Next: npm run org:assign -- --target-org ${alias}`);
      report.info(`      npm run org:export-cert -- --target-org ${alias} --out <service trust folder>`);
    }
    return EXIT.ok;
  }
  report.fail(
    `${dryRun ? 'Validation' : 'Deploy'} ${status.status}: ${status.numberComponentErrors ?? 0} component error(s), ` +
      `${status.numberTestErrors ?? 0} test failure(s). ${dryRun ? '' : 'Nothing was saved (rollback on error).'}`.trim(),
    'Fix the rows above in force-app (file and line are given), then run the same command again.',
  );
  return EXIT.failed;
}
