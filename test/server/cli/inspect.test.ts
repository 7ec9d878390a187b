// `prechat-guard inspect`: which trust store it used (and never inventing one), only the settings an offline check
// needs, and the clock it judged the token by.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { DEV_KID } from '../../../server/src/dev/devMaterial';
import { tokenFingerprint } from '../../../server/src/log';
import { ISSUER, NOW_S, mint, productionEnv, removeDir, tempDir, testKey, trustDirWith } from '../../support/fixtures';
import { captureIo } from './support';

const key = testKey('inspect-key');
let trustDir: string;
const scratch: string[] = [];
beforeAll(() => {
  trustDir = trustDirWith([key]);
});
afterAll(() => {
  removeDir(trustDir);
  for (const dir of scratch) removeDir(dir);
});

function scratchDir(): string {
  const dir = tempDir();
  scratch.push(dir);
  return dir;
}

/** Only the trust folder and the issuer: what an on-call engineer has at hand, and no caller credential. */
function offlineEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { NODE_ENV: 'production', PRECHAT_GUARD_TRUST_DIR: trustDir, PRECHAT_GUARD_ISSUER: ISSUER, ...extra };
}

async function mintDev(devDir: string): Promise<string> {
  const minted = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
  expect(await runCli(['mint', '--user-id', '005000000000001'], minted.io)).toBe(0);
  return minted.out[0]!;
}

describe('inspect: the trust store it uses, and never new key material', () => {
  it('refuses with no_trust_store and exit 78 when there is none, and creates nothing', async () => {
    const outside = scratchDir();
    const devDir = path.join(outside, 'not-a-clone', '.prechat-guard', 'dev');
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(78);
    expect(run.errors()).toContain('[no_trust_store]');
    expect(run.errors()).toContain(path.join(devDir, 'trust'));
    expect(run.errors()).toContain('--trust-dir');
    // No verdict: a made-up key would have answered bad_signature for a good token.
    expect(run.text()).not.toContain('NOT VALID');
    expect(existsSync(path.join(outside, 'not-a-clone'))).toBe(false);
  });

  it('does not fall back to the dev folder under NODE_ENV=production', async () => {
    const devDir = scratchDir();
    await mintDev(devDir);
    const run = captureIo({ NODE_ENV: 'production', PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(78);
    expect(run.errors()).toContain('[no_trust_store]');
    expect(run.errors()).toContain('PRECHAT_GUARD_TRUST_DIR');
  });

  it('names the dev trust folder and its kids when it uses one that exists', async () => {
    const devDir = scratchDir();
    const token = await mintDev(devDir);
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(['inspect', token], run.io)).toBe(0);
    expect(run.text()).toContain(`trust store: ${path.join(devDir, 'trust')} (the dev folder`);
    expect(run.text()).toMatch(new RegExp(`key ${DEV_KID}: valid from .* until `));
  });

  it('names the trust folder and its source when given one', async () => {
    const run = captureIo(offlineEnv());
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(0);
    expect(run.text()).toContain(`trust store: ${trustDir} (PRECHAT_GUARD_TRUST_DIR)`);
    expect(run.text()).toMatch(/key inspect-key: valid from 2026-10-24T.* until 2027-11-23T/);
  });

  it('refuses with trust_store_empty when the folder holds no usable certificate, and says why', async () => {
    const missing = path.join(scratchDir(), 'no-such-folder');
    const run = captureIo(offlineEnv({ PRECHAT_GUARD_TRUST_DIR: missing }));
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(78);
    expect(run.errors()).toContain('[trust_store_empty]');
    expect(run.errors()).toContain('cannot read the folder (ENOENT)');
    expect(existsSync(missing)).toBe(false);
  });

  it('explains a bad_signature between two dev installs (same kid, different keys)', async () => {
    const mine = scratchDir();
    const theirs = scratchDir();
    await mintDev(mine);
    const token = await mintDev(theirs);
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: mine });
    expect(await runCli(['inspect', token], run.io)).toBe(1);
    expect(run.text()).toContain('NOT VALID: bad_signature');
    expect(run.text()).toContain(`every dev install signs as kid "${DEV_KID}"`);
  });
});

describe('inspect: only what an offline check needs', () => {
  it('checks a token against a production trust folder without any caller credential', async () => {
    const run = captureIo(offlineEnv());
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(0);
    expect(run.errors()).toBe('');
    expect(run.text()).toContain('result: VALID for user 005000000000001AAA');
  });

  it('ignores service-only settings that would stop the service from starting', async () => {
    const run = captureIo(offlineEnv({ REDIS_URL: 'not-a-url', PRECHAT_GUARD_CONNECT_WIDGET_ID: 'widget' }));
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(0);
  });

  it('takes --trust-dir, --issuer and --audience instead of the environment', async () => {
    const token = mint(key, { audience: 'another-audience' });
    const run = captureIo({});
    const argv = ['inspect', token, '--trust-dir', trustDir, '--issuer', ISSUER, '--audience', 'another-audience'];
    expect(await runCli(argv, run.io)).toBe(0);
    expect(run.text()).toContain(`trust store: ${trustDir} (--trust-dir)`);
    expect(run.text()).toContain(`expecting: iss=${ISSUER} aud=another-audience`);
  });

  it('needs the issuer with a trust folder, naming the variable and the option (exit 78)', async () => {
    const run = captureIo({ PRECHAT_GUARD_TRUST_DIR: trustDir });
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(78);
    expect(run.errors()).toContain('PRECHAT_GUARD_ISSUER');
    expect(run.errors()).toContain('--issuer');
  });

  it('still refuses a bad value of a setting it does use, naming it', async () => {
    const run = captureIo(offlineEnv({ PRECHAT_GUARD_CLOCK_TOLERANCE_S: '999' }));
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(78);
    expect(run.errors()).toContain('PRECHAT_GUARD_CLOCK_TOLERANCE_S');
  });

  it('prints the hash the service logs for the token, to find its verification in the logs', async () => {
    const token = mint(key);
    const run = captureIo(offlineEnv());
    await runCli(['inspect', token], run.io);
    expect(run.text()).toContain(`logged by the service as tokenHash ${tokenFingerprint(token)}`);
  });

  it('still works with the full service configuration', async () => {
    const run = captureIo(productionEnv(trustDir));
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(0);
  });
});

describe('inspect: the clock it judged by', () => {
  /** A token issued 5 minutes (plus `pastExp`) ago with a 5-minute lifetime: `exp` was `pastExp` seconds ago. */
  const expiredBy = (pastExp: number) => mint(key, { nowSeconds: NOW_S - 300 - pastExp, ttlSeconds: 300 });

  it('shows now and the clock tolerance, and explains a token past exp but inside the tolerance', async () => {
    const run = captureIo(offlineEnv());
    expect(await runCli(['inspect', expiredBy(10)], run.io)).toBe(0);
    const text = run.text();
    expect(text).toContain('now: 2026-11-23T12:00:00.000Z');
    expect(text).toContain('clock tolerance: 30 s (PRECHAT_GUARD_CLOCK_TOLERANCE_S)');
    expect(text).toMatch(
      /exp = 2026-11-23T11:59:50\.000Z \(10 s ago; still accepted for 20 s: within the 30 s clock tolerance\)/,
    );
    expect(text).toContain('result: VALID');
  });

  it('says when exp is beyond the tolerance', async () => {
    const run = captureIo(offlineEnv());
    expect(await runCli(['inspect', expiredBy(40)], run.io)).toBe(1);
    expect(run.text()).toMatch(/exp = .* \(40 s ago: beyond the 30 s clock tolerance\)/);
    expect(run.text()).toContain('NOT VALID: expired');
  });

  it('uses the configured tolerance', async () => {
    const run = captureIo(offlineEnv({ PRECHAT_GUARD_CLOCK_TOLERANCE_S: '0' }));
    expect(await runCli(['inspect', expiredBy(10)], run.io)).toBe(1);
    expect(run.text()).toContain('clock tolerance: 0 s');
    expect(run.text()).toContain('NOT VALID: expired');
  });

  it('explains an iat slightly in the future as tolerated', async () => {
    const run = captureIo(offlineEnv());
    expect(await runCli(['inspect', mint(key, { nowSeconds: NOW_S + 20 })], run.io)).toBe(0);
    expect(run.text()).toMatch(/iat = .* \(in 20 s; accepted: within the 30 s clock tolerance\)/);
  });
});
