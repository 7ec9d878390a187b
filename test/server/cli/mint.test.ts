// `prechat-guard mint`: issuer and audience are explicit, and a token signed with your own key never carries the dev
// issuer by accident.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { DEV_KID } from '../../../server/src/dev/devMaterial';
import { ISSUER, NOW_S, USER_18, removeDir, tempDir, testKey, trustDirWith } from '../../support/fixtures';
import { captureIo, payloadOf } from './support';

const key = testKey('mint-key');
let trustDir: string;
let keyFile: string;
const scratch: string[] = [];
beforeAll(() => {
  trustDir = trustDirWith([key]);
  const keyDir = tempDir();
  scratch.push(keyDir);
  keyFile = path.join(keyDir, 'signing-key.pem');
  writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
});
afterAll(() => {
  removeDir(trustDir);
  for (const dir of scratch) removeDir(dir);
});

function devDir(): string {
  const dir = tempDir();
  scratch.push(dir);
  return dir;
}

const withKey = () => ['mint', '--user-id', '005000000000001', '--key', keyFile, '--kid', key.kid];

describe('mint with your own key', () => {
  it('refuses without an issuer instead of signing the dev issuer (exit 2)', async () => {
    const run = captureIo({});
    expect(await runCli(withKey(), run.io)).toBe(2);
    expect(run.errors()).toContain('--key needs --issuer');
    expect(run.out).toEqual([]);
  });

  it('signs the --issuer and --audience given, says so on standard error, and inspect accepts it', async () => {
    const run = captureIo({});
    expect(await runCli([...withKey(), '--issuer', ISSUER, '--audience', 'aud-x'], run.io)).toBe(0);
    const token = run.out[0]!;
    expect(run.out).toHaveLength(1);
    expect(payloadOf(token)).toMatchObject({ iss: ISSUER, aud: 'aud-x', sub: USER_18 });
    expect(run.errors()).toContain(`iss=${ISSUER} (--issuer)`);
    expect(run.errors()).toContain('aud=aud-x (--audience)');
    expect(run.errors()).toContain(`kid=${key.kid}`);
    const inspected = captureIo({});
    const argv = ['inspect', token, '--trust-dir', trustDir, '--issuer', ISSUER, '--audience', 'aud-x'];
    expect(await runCli(argv, inspected.io)).toBe(0);
  });

  it('takes PRECHAT_GUARD_ISSUER when --issuer is absent, and names where it came from', async () => {
    const run = captureIo({ PRECHAT_GUARD_ISSUER: ISSUER });
    expect(await runCli(withKey(), run.io)).toBe(0);
    expect(payloadOf(run.out[0]!)).toMatchObject({ iss: ISSUER, aud: 'prechat-guard' });
    expect(run.errors()).toContain(`iss=${ISSUER} (PRECHAT_GUARD_ISSUER)`);
  });

  it('refuses a mistyped option instead of ignoring it, and takes --name=value too', async () => {
    const typo = captureIo({});
    expect(await runCli([...withKey(), '--isuer', ISSUER], typo.io)).toBe(2);
    expect(typo.errors()).toContain('unknown option --isuer for "mint"');
    expect(typo.out).toEqual([]);
    const equals = captureIo({});
    expect(await runCli([...withKey(), `--issuer=${ISSUER}`], equals.io)).toBe(0);
    expect(payloadOf(equals.out[0]!)).toMatchObject({ iss: ISSUER });
  });

  it('says which file could not be used as a key (key_unreadable, exit 1)', async () => {
    const run = captureIo({});
    const argv = ['mint', '--user-id', '005000000000001', '--key', trustDir, '--kid', 'k', '--issuer', ISSUER];
    expect(await runCli(argv, run.io)).toBe(1);
    expect(run.errors()).toContain(`[key_unreadable] Cannot use ${trustDir} as a private key`);
  });

  it('needs no service configuration (no caller credential)', async () => {
    const run = captureIo({ NODE_ENV: 'production', PRECHAT_GUARD_TRUST_DIR: trustDir, PRECHAT_GUARD_ISSUER: ISSUER });
    expect(await runCli(withKey(), run.io)).toBe(0);
  });
});

describe('mint with the dev key', () => {
  it('uses the dev issuer by default and says so', async () => {
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir() });
    expect(await runCli(['mint', '--user-id', '005000000000001'], run.io)).toBe(0);
    expect(payloadOf(run.out[0]!)).toMatchObject({ iss: 'prechat-guard-dev', aud: 'prechat-guard' });
    expect(run.errors()).toContain('iss=prechat-guard-dev (the dev default)');
    expect(run.errors()).toContain(`kid=${DEV_KID}`);
  });

  it('takes --issuer and --audience', async () => {
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir() });
    const argv = ['mint', '--user-id', '005000000000001', '--issuer', 'iss-y', '--audience', 'aud-y'];
    expect(await runCli(argv, run.io)).toBe(0);
    expect(payloadOf(run.out[0]!)).toMatchObject({ iss: 'iss-y', aud: 'aud-y', iat: NOW_S });
  });

  it('says when it had to generate a new dev key, since only a service using that folder trusts it', async () => {
    const dir = devDir();
    const first = captureIo({ PRECHAT_GUARD_DEV_DIR: dir });
    await runCli(['mint', '--user-id', '005000000000001'], first.io);
    expect(first.errors()).toContain(`generated a new dev key in ${dir}`);
    const second = captureIo({ PRECHAT_GUARD_DEV_DIR: dir });
    await runCli(['mint', '--user-id', '005000000000001'], second.io);
    expect(second.errors()).not.toContain('generated');
  });

  it('refuses --kid without --key (a kid alone would be silently ignored)', async () => {
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir() });
    expect(await runCli(['mint', '--user-id', '005000000000001', '--kid', 'x'], run.io)).toBe(2);
    expect(run.errors()).toContain('--kid needs --key');
  });
});
