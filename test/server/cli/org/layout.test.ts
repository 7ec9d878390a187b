// The real package folders and sfdx-project.json, converted offline with SDR exactly as `org deploy` converts them:
// which components each path carries, and that the Named Credential URL replacement lands in the converted metadata.
// No TestContext here, so @salesforce/core reads sfdx-project.json from disk like the command does.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { findTestClasses } from '../../../../server/src/cli/org/deploy';
import {
  bootstrapComponentsIn,
  buildComponentSet,
  buildDeployZip,
  checkDeployZip,
} from '../../../../server/src/cli/org/deployPackage';
import {
  BOOTSTRAP_PIECES,
  NAMED_CREDENTIAL_SOURCE,
  NAMED_CREDENTIAL_ZIP_ENTRY,
  PLACEHOLDER_SERVICE_URL,
  SERVICE_URL_ENV,
  planDeploy,
  resolvePlanDirectories,
  validateServiceUrl,
  type DeployPlan,
} from '../../../../server/src/cli/org/layout';
import { readZipEntries } from '../../../../server/src/cli/org/zip';

const REPO = path.resolve(__dirname, '../../../..');
const SERVICE_URL = 'https://verifier.example.org';

function componentsOf(plan: DeployPlan, root = REPO): ComponentSet {
  return buildComponentSet(root, resolvePlanDirectories(root, plan));
}

function names(components: ComponentSet): string[] {
  return components
    .getSourceComponents()
    .toArray()
    .map((component) => `${component.type.name}:${component.fullName}`);
}

const upgrade = planDeploy({ firstInstall: false, withLegacyChat: false });
const upgradeWithLegacy = planDeploy({ firstInstall: false, withLegacyChat: true });
const firstInstall = planDeploy({ firstInstall: true, withLegacyChat: false, serviceUrl: SERVICE_URL });

test('each path deploys the folders it should, bootstrap only on the first install', () => {
  expect(upgrade.directories).toEqual(['force-app']);
  expect(upgradeWithLegacy.directories).toEqual(['force-app', 'legacy-chat']);
  expect(firstInstall.directories).toEqual(['bootstrap', 'force-app']);
  expect(planDeploy({ firstInstall: true, withLegacyChat: true }).directories).toEqual([
    'bootstrap',
    'force-app',
    'legacy-chat',
  ]);
});

describe('the real package folders', () => {
  test('the upgrade set has no Certificate, External/Named Credential, custom metadata record or legacy field', () => {
    const components = componentsOf(upgrade);
    const all = names(components);
    expect(bootstrapComponentsIn(components)).toEqual([]);
    expect(
      all.filter((name) => /^(Certificate|ExternalCredential|NamedCredential|CustomMetadata):/.test(name)),
    ).toEqual([]);
    expect(all.filter((name) => name.includes('LiveChatTranscript'))).toEqual([]);
    expect(all).toContain('PermissionSet:PrechatGuard_Bot_User');
    expect(all).toContain('CustomObject:PrechatGuard_Setting__mdt'); // the settings TYPE stays in force-app
  });

  test('--with-legacy-chat adds the legacy components, still without bootstrap; its test class is discovered', async () => {
    const components = componentsOf(upgradeWithLegacy);
    const all = names(components);
    expect(bootstrapComponentsIn(components)).toEqual([]);
    expect(all).toEqual(
      expect.arrayContaining([
        'CustomField:LiveChatTranscript.PrechatGuard_Token__c',
        'CustomField:LiveChatTranscript.PrechatGuard_User_Id__c',
        'LightningComponentBundle:prechatGuardLegacyPrechat',
        'StaticResource:PrechatGuardSnippetSettings',
        'PermissionSet:PrechatGuard_Legacy_Chat',
      ]),
    );
    const tests = await findTestClasses(components);
    expect(tests).toContain('PrechatGuardLegacyChatRecordsTest');
    expect(await findTestClasses(componentsOf(upgrade))).not.toContain('PrechatGuardLegacyChatRecordsTest');
  });

  test('BOOTSTRAP_PIECES is exactly what bootstrap holds (the pre-check asks the org for each)', () => {
    const bootstrapOnly = buildComponentSet(REPO, [path.join(REPO, 'bootstrap')]);
    expect(names(bootstrapOnly).sort()).toEqual(BOOTSTRAP_PIECES.map((piece) => `${piece.type}:${piece.name}`).sort());
    expect(bootstrapComponentsIn(componentsOf(firstInstall))).toHaveLength(BOOTSTRAP_PIECES.length);
  });

  test('sfdx-project.json replaces the placeholder in the Named Credential from PRECHAT_GUARD_SERVICE_URL', async () => {
    const project = JSON.parse(await readFile(path.join(REPO, 'sfdx-project.json'), 'utf8')) as {
      replacements?: Array<Record<string, string>>;
    };
    expect(project.replacements).toContainEqual({
      filename: NAMED_CREDENTIAL_SOURCE,
      stringToReplace: PLACEHOLDER_SERVICE_URL,
      replaceWithEnv: SERVICE_URL_ENV,
    });
    const source = await readFile(path.join(REPO, NAMED_CREDENTIAL_SOURCE), 'utf8');
    expect(source).toContain(`<parameterValue>${PLACEHOLDER_SERVICE_URL}</parameterValue>`);
  });

  test('the first-install zip carries the Named Credential with --service-url, not the placeholder', async () => {
    const before = process.env[SERVICE_URL_ENV];
    const zip = await buildDeployZip(componentsOf(firstInstall), SERVICE_URL);

    const entries = readZipEntries(zip);
    const namedCredential = entries.get(NAMED_CREDENTIAL_ZIP_ENTRY)!.toString('utf8');
    expect(namedCredential).toContain(`<parameterValue>${SERVICE_URL}</parameterValue>`);
    expect(namedCredential).not.toContain(PLACEHOLDER_SERVICE_URL);
    expect(entries.has('certs/PrechatGuard_Signing.crt-meta.xml')).toBe(true);
    expect(entries.has('customMetadata/PrechatGuard_Setting.Default.md')).toBe(true);
    expect(() => checkDeployZip(zip, firstInstall)).not.toThrow();
    expect(process.env[SERVICE_URL_ENV]).toBe(before);
  });

  test('the upgrade zip converts without PRECHAT_GUARD_SERVICE_URL and carries no bootstrap folder', async () => {
    const zip = await buildDeployZip(componentsOf(upgradeWithLegacy));

    const folders = new Set([...readZipEntries(zip).keys()].map((name) => name.split('/')[0]));
    for (const folder of ['certs', 'externalCredentials', 'namedCredentials', 'customMetadata']) {
      expect(folders).not.toContain(folder);
    }
    expect(folders).toContain('objects');
    expect(() => checkDeployZip(zip, upgradeWithLegacy)).not.toThrow();
    // The same check refuses a first-install zip sent as an upgrade.
    const first = await buildDeployZip(componentsOf(firstInstall), SERVICE_URL);
    expect(() => checkDeployZip(first, upgrade)).toThrow(expect.objectContaining({ code: 'bootstrap_in_upgrade' }));
  });
});

test('the replacements come from the project being deployed, not from the current directory', async () => {
  // A copy of bootstrap in a project without `replacements`: if SDR read the repository's sfdx-project.json (the
  // current directory) instead, the URL would be replaced and the check would pass.
  const root = await mkdtemp(path.join(tmpdir(), 'pg-layout-'));
  try {
    await cp(path.join(REPO, 'bootstrap'), path.join(root, 'bootstrap'), { recursive: true });
    await cp(path.join(REPO, 'force-app'), path.join(root, 'force-app'), { recursive: true });
    await writeFile(
      path.join(root, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }, { path: 'bootstrap' }] }),
    );
    const zip = await buildDeployZip(componentsOf(firstInstall, root), SERVICE_URL);

    expect(readZipEntries(zip).get(NAMED_CREDENTIAL_ZIP_ENTRY)!.toString('utf8')).toContain(PLACEHOLDER_SERVICE_URL);
    expect(() => checkDeployZip(zip, firstInstall)).toThrow(
      expect.objectContaining({ code: 'replacement_not_applied' }),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

describe('validateServiceUrl', () => {
  test.each([
    ['https://verifier.example.org', 'https://verifier.example.org'],
    ['https://Verifier.Example.org/', 'https://verifier.example.org'],
    ['https://verifier.example.org:8443/prechat-guard/', 'https://verifier.example.org:8443/prechat-guard'],
  ])('%s becomes %s', (given, expected) => {
    expect(validateServiceUrl(given)).toBe(expected);
  });

  test.each([
    [undefined, 'service_url_missing'],
    ['http://verifier.example.org', 'service_url_invalid'],
    ['https://prechat-guard.example.com', 'service_url_invalid'],
    ['https://PRECHAT-GUARD.example.com/x', 'service_url_invalid'],
    ['https://127.0.0.1', 'service_url_invalid'],
    ['https://user:pw@verifier.example.org', 'service_url_invalid'],
    ['https://verifier.example.org/#x', 'service_url_invalid'],
    ['https://verifier.example.org/?', 'service_url_invalid'],
    ["https://verifier.example.org/a'b", 'service_url_invalid'],
    ['verifier.example.org', 'service_url_invalid'],
  ])('%s is refused with %s (exit 2)', (given, code) => {
    expect(() => validateServiceUrl(given)).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });
});

test('readZipEntries refuses what is not a zip', () => {
  expect(() => readZipEntries(Buffer.from('not a zip at all, just some bytes'))).toThrow(/not a zip archive/);
});
