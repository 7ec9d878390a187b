import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOrgCommand } from '../../../../server/src/cli/org/main';
import { days, makeCertificate } from './support/certs';
import { serveCertificate, serveSettings } from './support/fixtures';
import { captureIo, fakeMetadataApi, useOrgHarness } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const harness = useOrgHarness();
const inDate = makeCertificate({
  notBefore: new Date(NOW.getTime() - days(5)),
  notAfter: new Date(NOW.getTime() + days(360)),
});

let workDir: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'pg-export-'));
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function jwksEntryFrom(stdout: string): Record<string, unknown> {
  const start = stdout.indexOf('{\n  "kty"');
  const end = stdout.indexOf('\n}', start);
  return JSON.parse(stdout.slice(start, end + 2)) as Record<string, unknown>;
}

async function run(...extra: string[]) {
  const captured = captureIo(NOW, undefined, workDir);
  const code = await runOrgCommand(['export-cert', '--target-org', harness.alias, ...extra], captured.io);
  return { code, ...captured };
}

test('writes <kid>.crt, prints the JWKS entry and the Enhanced Chat keyset settings', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: inDate.pem });

  const result = await run('--service-url', 'https://pg.example.com/');

  expect(result.code).toBe(0);
  const file = path.join(workDir, 'trust', 'prechat-guard-1.crt');
  expect(await readFile(file, 'utf8')).toBe(inDate.pem);
  // The retrieve asked for exactly the certificate named in the settings record.
  const request = api.retrieve.mock.calls[0]![0] as { unpackaged: { types: Array<{ members: string; name: string }> } };
  expect(JSON.stringify(request.unpackaged.types)).toContain('PrechatGuard_Signing');
  expect(JSON.stringify(request.unpackaged.types)).toContain('Certificate');
  const jwk = jwksEntryFrom(result.stdout());
  expect(jwk).toMatchObject({ kty: 'RSA', kid: 'prechat-guard-1', alg: 'RS256', use: 'sig', e: 'AQAB' });
  expect((jwk['x5c'] as string[])[0]).toBe(inDate.pem.replace(/-----[A-Z ]+-----|\n/g, ''));
  expect(result.stdout()).toContain('Endpoint URL          https://pg.example.com/.well-known/jwks.json');
  // Issuer__c is empty, so tokens carry the org id: the keyset issuer must be the same.
  expect(result.stdout()).toContain(`JSON web key issuer   ${harness.testOrg().orgId}`);
  expect(result.stderr()).toBe('');
});

test('an expired certificate is refused: exit 1, nothing written, the fix names rotation', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  const expired = makeCertificate({
    notBefore: new Date(NOW.getTime() - days(400)),
    notAfter: new Date(NOW.getTime() - days(1)),
  });
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: expired.pem });

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[certificate_expired]');
  expect(result.stderr()).toContain('Nothing was written');
  expect(result.stderr()).toContain('Rotate the certificate');
  expect(existsSync(path.join(workDir, 'trust', 'prechat-guard-1.crt'))).toBe(false);
});

test('a certificate expiring within 30 days is written with a warning', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  const soon = makeCertificate({
    notBefore: new Date(NOW.getTime() - days(350)),
    notAfter: new Date(NOW.getTime() + days(9)),
  });
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: soon.pem });

  const result = await run();

  expect(result.code).toBe(0);
  expect(result.stderr()).toMatch(/⚠ Certificate PrechatGuard_Signing: it expires in 9 day\(s\)/);
  expect(result.stderr()).toContain('less than 10 days');
  expect(await readFile(path.join(workDir, 'trust', 'prechat-guard-1.crt'), 'utf8')).toBe(soon.pem);
});

test('wrong kid for the live certificate is refused before anything is retrieved or written', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);

  const result = await run('--kid', 'prechat-guard-7');

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[kid_mismatch]');
  expect(result.stderr()).toContain('under kid "prechat-guard-1"');
  expect(result.stderr()).toContain('--kid prechat-guard-1');
  expect(api.retrieve).not.toHaveBeenCalled();
  expect(existsSync(path.join(workDir, 'trust'))).toBe(false);
});

test('a new certificate under the live kid is refused and a next kid is suggested', async () => {
  fakeMetadataApi();
  serveSettings(harness);

  const result = await run('--cert', 'PrechatGuard_Signing_2', '--kid', 'prechat-guard-1');

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[kid_mismatch]');
  expect(result.stderr()).toContain('--kid prechat-guard-2');
});

test('rotation: a new certificate under a new kid is written beside the live one', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  const next = makeCertificate({ notBefore: NOW, notAfter: new Date(NOW.getTime() + days(365)), slot: 1 });
  await serveCertificate(api, { name: 'PrechatGuard_Signing_2', content: next.pem });

  const result = await run('--cert', 'PrechatGuard_Signing_2', '--kid', 'prechat-guard-2', '--out', 'keys');

  expect(result.code).toBe(0);
  expect(await readFile(path.join(workDir, 'keys', 'prechat-guard-2.crt'), 'utf8')).toBe(next.pem);
});

test('a kid that cannot be a file name is a usage error (exit 2)', async () => {
  const result = await run('--kid', '../etc/passwd');
  expect(result.code).toBe(2);
  expect(result.stderr()).toContain('[kid_invalid]');
  expect(harness.requests).toHaveLength(0);
});

test('an existing <kid>.crt with a different key is not overwritten without --force', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: inDate.pem });
  const other = makeCertificate({ notBefore: NOW, notAfter: new Date(NOW.getTime() + days(90)), slot: 1 });
  const file = path.join(workDir, 'trust', 'prechat-guard-1.crt');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, other.pem);

  const refused = await run();
  expect(refused.code).toBe(1);
  expect(refused.stderr()).toContain('[kid_in_use]');
  expect(await readFile(file, 'utf8')).toBe(other.pem);

  const forced = await run('--force');
  expect(forced.code).toBe(0);
  expect(forced.stderr()).toContain('Replaced');
  expect(await readFile(file, 'utf8')).toBe(inDate.pem);

  const again = await run();
  expect(again.code).toBe(0);
  expect(again.stdout()).toContain('left unchanged');
});

test('a certificate the org does not have: exit 1 with the retrieve message and the fix', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness);
  await serveCertificate(api, { missing: 'PrechatGuard_Signing' });

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[certificate_not_found]');
  expect(result.stderr()).toContain("named 'PrechatGuard_Signing' cannot be found");
  expect(result.stderr()).toContain('--cert <developerName>');
});

test('no settings record: warns and falls back to the package defaults', async () => {
  const api = fakeMetadataApi();
  serveSettings(harness, null);
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: inDate.pem });

  const result = await run();

  expect(result.code).toBe(0);
  expect(result.stderr()).toContain('Settings record not readable');
  expect(existsSync(path.join(workDir, 'trust', 'prechat-guard-1.crt'))).toBe(true);
});

test('no stored login for the alias: exit 3 and the message names sf org login', async () => {
  harness.removeAuth();
  const captured = captureIo(NOW, undefined, workDir);

  const code = await runOrgCommand(['export-cert', '--target-org', 'forgotten-org'], captured.io);

  expect(code).toBe(3);
  expect(captured.stderr()).toContain('[auth_missing]');
  expect(captured.stderr()).toContain('No authorization information found for forgotten-org');
  expect(captured.stderr()).toContain('sf org login web --alias forgotten-org');
});
