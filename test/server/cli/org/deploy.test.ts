import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOrgCommand } from '../../../../server/src/cli/org/main';
import { readZipEntries } from '../../../../server/src/cli/org/zip';
import { ALL_BOOTSTRAP, serveInstallation } from './support/fixtures';
import { captureIo, fakeMetadataApi, useOrgHarness } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const REPO = path.resolve(__dirname, '../../../..');
const SERVICE_URL = 'https://verifier.example.org';
const harness = useOrgHarness();
const CLASS_META =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
  '    <apiVersion>65.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';

// A project like the real one: the real sfdx-project.json (package directories and the Named Credential replacement)
// and the real bootstrap folder, with small force-app and legacy-chat folders of their own.
let workDir: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'pg-deploy-'));
  await cp(path.join(REPO, 'sfdx-project.json'), path.join(workDir, 'sfdx-project.json'));
  await cp(path.join(REPO, 'bootstrap'), path.join(workDir, 'bootstrap'), { recursive: true });
  const legacy = path.join(workDir, 'legacy-chat', 'main', 'default');
  await mkdir(path.join(legacy, 'objects', 'LiveChatTranscript', 'fields'), { recursive: true });
  await cp(
    path.join(REPO, 'legacy-chat/main/default/objects/LiveChatTranscript/fields/PrechatGuard_Token__c.field-meta.xml'),
    path.join(legacy, 'objects', 'LiveChatTranscript', 'fields', 'PrechatGuard_Token__c.field-meta.xml'),
  );
  await mkdir(path.join(legacy, 'classes'), { recursive: true });
  await writeFile(
    path.join(legacy, 'classes', 'PrechatGuardLegacyChatRecordsTest.cls'),
    '@IsTest\nprivate class PrechatGuardLegacyChatRecordsTest {\n    @IsTest\n    static void readsTranscript() {}\n}\n',
  );
  await writeFile(path.join(legacy, 'classes', 'PrechatGuardLegacyChatRecordsTest.cls-meta.xml'), CLASS_META);
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
  if (existsSync(path.join(workDir, 'sfdx-project.json'))) harness.useProject(workDir);
  const captured = captureIo(NOW, undefined, workDir);
  const code = await runOrgCommand(['deploy', '--target-org', harness.alias, ...extra], captured.io);
  return { code, ...captured };
}

/** The entries of the zip handed to the Metadata API deploy call. */
function sentZip(api: { deploy: jest.SpyInstance }): Map<string, Buffer> {
  const [zip] = api.deploy.mock.calls[0] as [Buffer];
  return readZipEntries(zip);
}

const folders = (entries: Map<string, Buffer>): Set<string> =>
  new Set([...entries.keys()].map((name) => name.split('/')[0]!));
const BOOTSTRAP_FOLDERS = ['certs', 'externalCredentials', 'namedCredentials', 'customMetadata'];

describe('upgrade (the default)', () => {
  test('deploys force-app over the stored login without any bootstrap piece, shows progress, says what is next', async () => {
    serveInstallation(harness, ALL_BOOTSTRAP);
    const api = fakeDeploy({});

    const result = await run();

    expect(result.code).toBe(0);
    expect(api.deploy).toHaveBeenCalledTimes(1);
    const [zip, options] = api.deploy.mock.calls[0] as [Buffer, Record<string, unknown>];
    expect(zip.subarray(0, 2).toString()).toBe('PK'); // SDR converted the source into a Metadata API zip
    expect(options).toMatchObject({ checkOnly: false, rollbackOnError: true });
    expect(options).not.toHaveProperty('testLevel');
    const entries = sentZip(api);
    expect(entries.has('classes/PrechatGuardTokenIssuer.cls')).toBe(true);
    for (const folder of BOOTSTRAP_FOLDERS) expect(folders(entries)).not.toContain(folder);
    expect(folders(entries)).not.toContain('objects'); // no LiveChatTranscript field without --with-legacy-chat
    expect(entries.get('package.xml')!.toString()).not.toMatch(/Certificate|NamedCredential|LiveChatTranscript/);
    // The pre-check reads certificates and the External Credential through the Tooling API.
    expect(harness.requests.some((r) => r.url.includes('/tooling/') && r.url.includes('Certificate'))).toBe(true);
    const out = result.stdout();
    expect(out).toContain(`Connected as ${harness.testOrg().username}`);
    expect(out).toContain('Upgrade (force-app): checking which first-install pieces the org already has');
    expect(out).toContain('✔ The org has the first-install pieces; they are left as they are.');
    expect(out).toContain('legacy-chat not included (add --with-legacy-chat for legacy Chat)');
    expect(out).toContain('no LWC in the deployed folders; nothing to compile');
    expect(out).toContain('Deploying 5 component(s) from force-app in one deploy');
    expect(out).toContain('InProgress: components 1/5');
    expect(out).toContain('✔ Deployed 5 component(s).');
    expect(out).toContain(`npm run org:assign -- --target-org ${harness.alias}`);
    expect(out).toContain(`npm run org:doctor -- --target-org ${harness.alias}`);
    expect(result.stderr()).toBe('');
  });

  test('--with-legacy-chat adds the legacy-chat folder (LiveChatTranscript fields, its Apex) and still no bootstrap', async () => {
    serveInstallation(harness, ALL_BOOTSTRAP);
    const api = fakeDeploy({});

    const result = await run('--with-legacy-chat');

    expect(result.code).toBe(0);
    const entries = sentZip(api);
    expect(entries.get('objects/LiveChatTranscript.object')!.toString()).toContain('PrechatGuard_Token__c');
    expect(entries.has('classes/PrechatGuardLegacyChatRecordsTest.cls')).toBe(true);
    expect(entries.has('classes/PrechatGuardTokenIssuer.cls')).toBe(true);
    for (const folder of BOOTSTRAP_FOLDERS) expect(folders(entries)).not.toContain(folder);
    expect(result.stdout()).toContain('Upgrade (force-app, legacy-chat)');
    expect(result.stdout()).toContain(`npm run org:assign -- --target-org ${harness.alias} --with-legacy-chat`);
  });

  test('an org without the first-install pieces is refused, naming the first install; nothing is built or sent', async () => {
    serveInstallation(harness, []);
    const api = fakeMetadataApi();

    const result = await run();

    expect(result.code).toBe(1);
    expect(result.stderr()).toContain('[not_installed] The org has no prechat-guard installation yet');
    expect(result.stderr()).toContain(
      `Next: Run the first install: npm run org:deploy -- --target-org ${harness.alias} --first-install ` +
        '--service-url https://<your service>',
    );
    expect(api.deploy).not.toHaveBeenCalled();
  });

  test('a half-installed org is refused with a command per missing piece', async () => {
    serveInstallation(
      harness,
      ALL_BOOTSTRAP.filter((piece) => !/Caller|NamedCredential/.test(piece)),
    );
    const api = fakeMetadataApi();

    const result = await run();

    expect(result.code).toBe(1);
    const err = result.stderr();
    expect(err).toContain('[bootstrap_incomplete]');
    expect(err).toContain('lacks Certificate PrechatGuard_Caller, NamedCredential PrechatGuard_Service');
    expect(err).toContain(
      `sf project deploy start --metadata Certificate:PrechatGuard_Caller --target-org ${harness.alias}`,
    );
    expect(err).toContain(
      'PRECHAT_GUARD_SERVICE_URL=https://<your service> sf project deploy start --metadata ' +
        `NamedCredential:PrechatGuard_Service --target-org ${harness.alias}`,
    );
    expect(api.deploy).not.toHaveBeenCalled();
  });

  test('a Named Credential still on the placeholder is a warning, not a stop', async () => {
    serveInstallation(harness, ALL_BOOTSTRAP, 'https://prechat-guard.example.com');
    fakeDeploy({});

    const result = await run();

    expect(result.code).toBe(0);
    expect(result.stderr()).toContain('still points at the placeholder https://prechat-guard.example.com');
  });

  test('a bootstrap-only component that slipped into force-app stops the upgrade before anything is sent', async () => {
    serveInstallation(harness, ALL_BOOTSTRAP);
    const api = fakeMetadataApi();
    await cp(path.join(workDir, 'bootstrap/main/default/certs'), path.join(workDir, 'force-app/main/default/certs'), {
      recursive: true,
    });

    const result = await run();

    expect(result.code).toBe(1);
    expect(result.stderr()).toContain('[bootstrap_in_upgrade]');
    expect(result.stderr()).toContain('Certificate:PrechatGuard_Caller, Certificate:PrechatGuard_Signing');
    expect(api.deploy).not.toHaveBeenCalled();
  });
});

describe('first install', () => {
  test('deploys bootstrap and force-app in one deploy with the Named Credential URL from --service-url', async () => {
    serveInstallation(harness, []);
    const api = fakeDeploy({});
    const before = process.env['PRECHAT_GUARD_SERVICE_URL'];

    const result = await run('--first-install', '--service-url', `${SERVICE_URL}/`);

    expect(result.stderr()).toBe('');
    expect(result.code).toBe(0);
    expect(api.deploy).toHaveBeenCalledTimes(1); // one all-or-nothing deploy
    expect(api.deploy.mock.calls[0]![1]).toMatchObject({ checkOnly: false, rollbackOnError: true });
    const entries = sentZip(api);
    const namedCredential = entries.get('namedCredentials/PrechatGuard_Service.namedCredential')!.toString();
    expect(namedCredential).toContain(`<parameterValue>${SERVICE_URL}</parameterValue>`);
    expect(namedCredential).not.toContain('prechat-guard.example.com');
    for (const entry of [
      'certs/PrechatGuard_Signing.crt-meta.xml',
      'certs/PrechatGuard_Caller.crt-meta.xml',
      'externalCredentials/PrechatGuard_Service.externalCredential',
      'customMetadata/PrechatGuard_Setting.Default.md',
      'classes/PrechatGuardTokenIssuer.cls',
    ]) {
      expect(entries.has(entry)).toBe(true);
    }
    expect(folders(entries)).not.toContain('objects'); // legacy-chat only on request
    // The value went to SDR through the environment for the conversion only.
    expect(process.env['PRECHAT_GUARD_SERVICE_URL']).toBe(before);
    const out = result.stdout();
    expect(out).toContain('First install (bootstrap, force-app)');
    expect(out).toContain('✔ The org has none of the first-install pieces: this is a first install.');
    expect(out).toContain(`✔ Named Credential PrechatGuard_Service will point at ${SERVICE_URL}`);
    expect(out).toContain(
      `Next: npm run org:assign -- --target-org ${harness.alias} --bot-user <bot-or-agent-username>`,
    );
    expect(out).toContain(`npm run org:export-cert -- --target-org ${harness.alias} --out <service trust folder>`);
    expect(out).toContain('(never --first-install again)');
  });

  test('--with-legacy-chat --dry-run --run-tests: check-only, legacy components added, test classes discovered', async () => {
    serveInstallation(harness, []);
    const api = fakeDeploy({ checkOnly: true, runTestsEnabled: true });

    const result = await run(
      '--first-install',
      '--service-url',
      SERVICE_URL,
      '--with-legacy-chat',
      '--dry-run',
      '--run-tests',
    );

    expect(result.code).toBe(0);
    expect(api.deploy.mock.calls[0]![1]).toMatchObject({
      checkOnly: true,
      testLevel: 'RunSpecifiedTests',
      runTests: ['PrechatGuardLegacyChatRecordsTest', 'PrechatGuardTokenIssuerTest', 'PrechatGuardVerifierClientTest'],
    });
    const entries = sentZip(api);
    expect(entries.has('objects/LiveChatTranscript.object')).toBe(true);
    expect(entries.has('namedCredentials/PrechatGuard_Service.namedCredential')).toBe(true);
    expect(result.stdout()).toContain('Validating (check-only, nothing is saved)');
    expect(result.stdout()).toContain('First install (bootstrap, force-app, legacy-chat)');
    expect(result.stdout()).toContain('Validation succeeded');
  });

  test('an org that already has the pieces is refused: a redeploy would make new key pairs', async () => {
    serveInstallation(harness, ALL_BOOTSTRAP);
    const api = fakeMetadataApi();

    const result = await run('--first-install', '--service-url', SERVICE_URL);

    expect(result.code).toBe(1);
    const err = result.stderr();
    expect(err).toContain('[already_installed]');
    expect(err).toContain('new key pairs');
    expect(err).toContain(`Next: Run the upgrade instead: npm run org:deploy -- --target-org ${harness.alias}`);
    expect(api.deploy).not.toHaveBeenCalled();
  });

  test('a half-installed org is refused too', async () => {
    serveInstallation(harness, ['Certificate:PrechatGuard_Signing']);
    const api = fakeMetadataApi();

    const result = await run('--first-install', '--service-url', SERVICE_URL);

    expect(result.code).toBe(1);
    expect(result.stderr()).toContain('[bootstrap_incomplete]');
    expect(api.deploy).not.toHaveBeenCalled();
  });

  test.each([
    [[], 'service_url_missing', '--first-install needs --service-url'],
    [['--service-url', 'http://verifier.example.org'], 'service_url_invalid', 'must use https, not http'],
    [['--service-url', 'https://prechat-guard.example.com/'], 'service_url_invalid', 'is the package placeholder'],
    [['--service-url', 'https://localhost:8443'], 'service_url_invalid', 'Salesforce cannot call it'],
    [['--service-url', 'https://verifier.example.org/?a=1'], 'service_url_invalid', 'a query or a fragment'],
    [['--service-url', 'not a url'], 'service_url_invalid', 'is not a URL'],
  ])('--first-install %j exits 2 with [%s] before touching the org', async (extra, code, message) => {
    const api = fakeMetadataApi();

    const result = await run('--first-install', ...extra);

    expect(result.code).toBe(2);
    expect(result.stderr()).toContain(`[${code}]`);
    expect(result.stderr()).toContain(message);
    expect(harness.requests).toEqual([]);
    expect(api.deploy).not.toHaveBeenCalled();
  });

  test('--service-url without --first-install is a usage error: an upgrade does not touch the Named Credential', async () => {
    const result = await run('--service-url', SERVICE_URL);

    expect(result.code).toBe(2);
    expect(result.stderr()).toContain('--service-url only applies with --first-install');
  });

  test('a project whose replacement does not reach the Named Credential is refused before sending', async () => {
    serveInstallation(harness, []);
    const api = fakeMetadataApi();
    const projectFile = path.join(workDir, 'sfdx-project.json');
    const project = JSON.parse(await readFile(projectFile, 'utf8')) as Record<string, unknown>;
    delete project['replacements'];
    await writeFile(projectFile, JSON.stringify(project));

    const result = await run('--first-install', '--service-url', SERVICE_URL);

    expect(result.code).toBe(1);
    expect(result.stderr()).toContain('[replacement_not_applied]');
    expect(result.stderr()).toContain('replaceWithEnv PRECHAT_GUARD_SERVICE_URL');
    expect(api.deploy).not.toHaveBeenCalled();
  });
});

test('component failures are printed as a table and exit 1', async () => {
  serveInstallation(harness, ALL_BOOTSTRAP);
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
  expect(result.stderr()).toContain('Next: Fix the rows above in force-app');
});

test('--dry-run sends a check-only deploy and says nothing was saved', async () => {
  serveInstallation(harness, ALL_BOOTSTRAP);
  const api = fakeDeploy({ checkOnly: true });

  const result = await run('--dry-run');

  expect(result.code).toBe(0);
  expect(api.deploy.mock.calls[0]![1]).toMatchObject({ checkOnly: true });
  expect(result.stdout()).toContain('Validating (check-only, nothing is saved)');
  expect(result.stdout()).toContain('Validation succeeded: 5 component(s) would deploy. Nothing was saved.');
  expect(result.stdout()).not.toContain('npm run org:assign');
});

test('--run-tests runs exactly the classes with test methods (not @IsTest data factories) and prints coverage per class', async () => {
  serveInstallation(harness, ALL_BOOTSTRAP);
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
  serveInstallation(harness, ALL_BOOTSTRAP);
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

async function brokenLwc(directory: string): Promise<void> {
  const lwc = path.join(workDir, directory, 'main', 'default', 'lwc');
  await mkdir(path.join(lwc, 'broken'), { recursive: true });
  await writeFile(
    path.join(lwc, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['**/*.ts'] }),
  );
  await writeFile(path.join(lwc, 'broken', 'broken.ts'), 'const count: number = "three";\nexport default count;\n');
}

test('a TypeScript LWC that does not compile stops the deploy', async () => {
  serveInstallation(harness, ALL_BOOTSTRAP);
  const api = fakeMetadataApi();
  await brokenLwc('force-app');

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[lwc_build_failed]');
  expect(result.stderr()).toContain("Type 'string' is not assignable to type 'number'");
  expect(api.deploy).not.toHaveBeenCalled();
}, 30000);

test("legacy-chat's own lwc/tsconfig.json is compiled only when legacy-chat is deployed", async () => {
  serveInstallation(harness, ALL_BOOTSTRAP);
  await brokenLwc('legacy-chat');
  const api = fakeDeploy({});

  const without = await run();
  expect(without.code).toBe(0);
  expect(api.deploy).toHaveBeenCalledTimes(1);

  const withLegacy = await run('--with-legacy-chat');
  expect(withLegacy.code).toBe(1);
  expect(withLegacy.stderr()).toContain('[lwc_build_failed]');
  expect(withLegacy.stderr()).toContain(path.join('legacy-chat', 'main', 'default', 'lwc', 'tsconfig.json'));
  expect(api.deploy).toHaveBeenCalledTimes(1); // nothing more was sent
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
  serveInstallation(harness, ALL_BOOTSTRAP);
  const api = fakeMetadataApi();
  await rm(path.join(workDir, 'force-app', 'main', 'default', 'classes', 'PrechatGuardTokenIssuerTest.cls'));

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[source_invalid]');
  expect(result.stderr()).toContain('PrechatGuardTokenIssuerTest.cls-meta.xml');
  expect(api.deploy).not.toHaveBeenCalled();
});

test('usage errors exit 2: unknown flag, bad --wait, no project here, a package folder missing', async () => {
  expect((await run('--frobnicate')).code).toBe(2);
  expect((await run('--source-dir', 'force-app')).stderr()).toContain('unknown option --source-dir');
  const wait = await run('--wait', 'soon');
  expect(wait.code).toBe(2);
  expect(wait.stderr()).toContain('--wait must be a whole number of minutes');
  await rm(path.join(workDir, 'legacy-chat'), { recursive: true });
  const missing = await run('--with-legacy-chat');
  expect(missing.code).toBe(2);
  expect(missing.stderr()).toMatch(/legacy-chat does not exist/);
  await rm(path.join(workDir, 'sfdx-project.json'));
  const noProject = await run();
  expect(noProject.code).toBe(2);
  expect(noProject.stderr()).toContain('run the command from the project root');
  expect(harness.requests).toEqual([]);
});
