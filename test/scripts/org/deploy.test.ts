import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOrgCommand } from '../../../scripts/org/main';
import { captureIo, fakeMetadataApi, useOrgHarness } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const harness = useOrgHarness();
const CLASS_META =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
  '    <apiVersion>65.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';

let workDir: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'pg-deploy-'));
  const classes = path.join(workDir, 'force-app', 'main', 'default', 'classes');
  await mkdir(classes, { recursive: true });
  const files: Record<string, string> = {
    'PrechatGuardTokenIssuer.cls': 'public with sharing class PrechatGuardTokenIssuer {}\n',
    'PrechatGuardTokenIssuerTest.cls':
      '@IsTest\nprivate class PrechatGuardTokenIssuerTest {\n    @IsTest\n    static void signsWithKid() {}\n}\n',
    'PrechatGuardTestData.cls':
      '@IsTest\npublic class PrechatGuardTestData {\n    public static void insertUser() {}\n}\n',
    'PrechatGuardVerifierClient.cls': 'public with sharing class PrechatGuardVerifierClient {}\n',
    'PrechatGuardVerifierClientTest.cls':
      '@isTest(SeeAllData=false)\nprivate class PrechatGuardVerifierClientTest {\n    static testMethod void old() {}\n}\n',
  };
  for (const [name, body] of Object.entries(files)) {
    await writeFile(path.join(classes, name), body);
    await writeFile(path.join(classes, `${name}-meta.xml`), CLASS_META);
  }
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function deployStatus(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: '0Af5g00000Dep1AAA',
    done: true,
    status: 'Succeeded',
    success: true,
    checkOnly: false,
    ignoreWarnings: false,
    rollbackOnError: true,
    runTestsEnabled: false,
    createdBy: '005',
    createdByName: 'Admin',
    createdDate: NOW.toISOString(),
    lastModifiedDate: NOW.toISOString(),
    numberComponentsDeployed: 5,
    numberComponentsTotal: 5,
    numberComponentErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    numberTestErrors: 0,
    details: {},
    ...overrides,
  };
}

function fakeDeploy(final: Record<string, unknown>, progress: Record<string, unknown> = {}) {
  const api = fakeMetadataApi();
  api.deploy.mockResolvedValue({ id: '0Af5g00000Dep1AAA', state: 'Queued', done: false });
  api.checkDeployStatus
    .mockResolvedValueOnce(
      deployStatus({ done: false, status: 'InProgress', success: false, numberComponentsDeployed: 1, ...progress }),
    )
    .mockResolvedValue(deployStatus(final));
  return api;
}

async function run(...extra: string[]) {
  const captured = captureIo(NOW, undefined, workDir);
  const code = await runOrgCommand(['deploy', '--target-org', harness.alias, ...extra], captured.io);
  return { code, ...captured };
}

test('deploys the source folder over the stored login, shows progress, and says what to do next', async () => {
  const api = fakeDeploy({});

  const result = await run();

  expect(result.code).toBe(0);
  expect(api.deploy).toHaveBeenCalledTimes(1);
  const [zip, options] = api.deploy.mock.calls[0] as [Buffer, Record<string, unknown>];
  expect(zip.subarray(0, 2).toString()).toBe('PK'); // SDR converted force-app into a Metadata API zip
  expect(options).toMatchObject({ checkOnly: false, rollbackOnError: true });
  expect(options).not.toHaveProperty('testLevel');
  const out = result.stdout();
  expect(out).toContain(`Connected as ${harness.testOrg().username}`);
  expect(out).toContain('no force-app/main/default/lwc/tsconfig.json; nothing to compile');
  expect(out).toContain('Deploying 5 component(s) from force-app');
  expect(out).toContain('InProgress: components 1/5');
  expect(out).toContain('✔ Deployed 5 component(s).');
  expect(out).toContain(`npm run org:assign -- --target-org ${harness.alias}`);
  expect(result.stderr()).toBe('');
});

test('component failures are printed as a table and exit 1', async () => {
  fakeDeploy({
    status: 'Failed',
    success: false,
    numberComponentsDeployed: 2,
    numberComponentErrors: 2,
    details: {
      componentFailures: [
        {
          componentType: 'ApexClass',
          fullName: 'PrechatGuardTokenIssuer',
          fileName: 'classes/PrechatGuardTokenIssuer.cls',
          lineNumber: '12',
          columnNumber: '5',
          problem: 'Variable does not exist: certName',
          problemType: 'Error',
          success: 'false',
          changed: 'false',
          created: 'false',
          deleted: 'false',
          createdDate: NOW.toISOString(),
        },
        {
          componentType: 'ApexClass',
          fullName: 'PrechatGuardVerifierClient',
          fileName: 'classes/PrechatGuardVerifierClient.cls',
          problem: 'Dependent class is invalid and needs recompilation:\n PrechatGuardTokenIssuer',
          problemType: 'Error',
          success: 'false',
          changed: 'false',
          created: 'false',
          deleted: 'false',
          createdDate: NOW.toISOString(),
        },
      ],
    },
  });

  const result = await run();

  expect(result.code).toBe(1);
  const lines = result.stdout().split('\n');
  const header = lines.findIndex((line) => /^TYPE\s+NAME\s+LINE\s+PROBLEM$/.test(line));
  expect(header).toBeGreaterThan(-1);
  expect(lines[header + 2]).toMatch(/^ApexClass\s+PrechatGuardTokenIssuer\s+12:5\s+Variable does not exist: certName$/);
  expect(lines[header + 3]).toMatch(
    /^ApexClass\s+PrechatGuardVerifierClient\s+Dependent class is invalid and needs recompilation: PrechatGuardTokenIssuer$/,
  );
  expect(result.stderr()).toContain('Deploy Failed: 2 component error(s)');
  expect(result.stderr()).toContain('Next: Fix the rows above');
});

test('--dry-run sends a check-only deploy and says nothing was saved', async () => {
  const api = fakeDeploy({ checkOnly: true });

  const result = await run('--dry-run');

  expect(result.code).toBe(0);
  expect(api.deploy.mock.calls[0]![1]).toMatchObject({ checkOnly: true });
  expect(result.stdout()).toContain('Validating (check-only, nothing is saved)');
  expect(result.stdout()).toContain('Validation succeeded: 5 component(s) would deploy. Nothing was saved.');
  expect(result.stdout()).not.toContain('npm run org:assign');
});

test('--run-tests runs exactly the classes with test methods (not @IsTest data factories) and prints coverage per class', async () => {
  const api = fakeDeploy(
    {
      runTestsEnabled: true,
      numberTestsCompleted: 5,
      numberTestsTotal: 6,
      numberTestErrors: 1,
      status: 'Failed',
      success: false,
      details: {
        runTestResult: {
          numTestsRun: '6',
          numFailures: '1',
          totalTime: '1200',
          failures: {
            id: '01p',
            name: 'PrechatGuardVerifierClientTest',
            methodName: 'timeoutIsNotVerified',
            message: 'System.AssertException: Assertion Failed: expected no_token',
            stackTrace: 'Class.PrechatGuardVerifierClientTest.timeoutIsNotVerified: line 40, column 1',
            packageName: '',
            time: '10',
            type: 'Class',
          },
          codeCoverage: [
            {
              id: '01p1',
              name: 'PrechatGuardVerifierClient',
              numLocations: '40',
              numLocationsNotCovered: '14',
              type: 'Class',
            },
            {
              id: '01p2',
              name: 'PrechatGuardTokenIssuer',
              numLocations: '50',
              numLocationsNotCovered: '2',
              type: 'Class',
            },
          ],
          codeCoverageWarnings: { id: '01p1', message: 'Average test coverage is below 75%', namespace: '' },
        },
      },
    },
    { numberTestsTotal: 6, numberTestsCompleted: 3, numberTestErrors: 1, stateDetail: 'Running Apex tests' },
  );

  const result = await run('--run-tests');

  expect(result.code).toBe(1);
  expect(api.deploy.mock.calls[0]![1]).toMatchObject({
    testLevel: 'RunSpecifiedTests',
    runTests: ['PrechatGuardTokenIssuerTest', 'PrechatGuardVerifierClientTest'],
  });
  const out = result.stdout();
  expect(out).toContain('running 2 Apex test class(es)');
  expect(out).toContain('InProgress (Running Apex tests): components 1/5; tests 3/6, 1 failing');
  expect(out).toMatch(/PrechatGuardVerifierClientTest\.timeoutIsNotVerified\s+System\.AssertException/);
  expect(out).toMatch(/PrechatGuardTokenIssuer\s+50\s+2\s+96%\n/);
  expect(out).toMatch(/PrechatGuardVerifierClient\s+40\s+14\s+65%\s+below 75%\n/);
  expect(result.stderr()).toContain('⚠ Coverage: Average test coverage is below 75%');
  expect(result.stderr()).toContain('1 test failure(s)');
});

test('--run-tests with no test classes is refused before deploying', async () => {
  const api = fakeMetadataApi();
  const classes = path.join(workDir, 'force-app', 'main', 'default', 'classes');
  for (const name of ['PrechatGuardTokenIssuerTest.cls', 'PrechatGuardVerifierClientTest.cls']) {
    await rm(path.join(classes, name));
    await rm(path.join(classes, `${name}-meta.xml`));
  }

  const result = await run('--run-tests');

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[no_test_classes]');
  expect(api.deploy).not.toHaveBeenCalled();
});

test('a TypeScript LWC that does not compile stops the deploy', async () => {
  const api = fakeMetadataApi();
  const lwc = path.join(workDir, 'force-app', 'main', 'default', 'lwc');
  await mkdir(path.join(lwc, 'broken'), { recursive: true });
  await writeFile(
    path.join(lwc, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['**/*.ts'] }),
  );
  await writeFile(path.join(lwc, 'broken', 'broken.ts'), 'const count: number = "three";\nexport default count;\n');

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[lwc_build_failed]');
  expect(result.stderr()).toContain("Type 'string' is not assignable to type 'number'");
  expect(api.deploy).not.toHaveBeenCalled();
}, 30000);

test('no stored login: exit 3 naming sf org login, before anything is built or sent', async () => {
  harness.removeAuth();
  const api = fakeMetadataApi();

  const result = await run();

  expect(result.code).toBe(3);
  expect(result.stderr()).toContain(`sf org login web --alias ${harness.alias}`);
  expect(api.deploy).not.toHaveBeenCalled();
});

test('a source file SDR cannot read is reported by name, before deploying', async () => {
  const api = fakeMetadataApi();
  await rm(path.join(workDir, 'force-app', 'main', 'default', 'classes', 'PrechatGuardTokenIssuerTest.cls'));

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[source_invalid]');
  expect(result.stderr()).toContain('PrechatGuardTokenIssuerTest.cls-meta.xml');
  expect(api.deploy).not.toHaveBeenCalled();
});

test('usage errors exit 2: unknown flag, bad --wait, missing source folder', async () => {
  expect((await run('--frobnicate')).code).toBe(2);
  const wait = await run('--wait', 'soon');
  expect(wait.code).toBe(2);
  expect(wait.stderr()).toContain('--wait must be a whole number of minutes');
  const missing = await run('--source-dir', 'nowhere');
  expect(missing.code).toBe(2);
  expect(missing.stderr()).toContain('does not exist');
});
