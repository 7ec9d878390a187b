// PRECHAT_GUARD_CALLER_KEYS_FILE: API keys from a file, reloaded on change, so a key can be revoked or added without a
// restart. The file's format is checked in config.test.ts; here, reloading and what the service accepts meanwhile.
import { createHash } from 'node:crypto';
import { chmodSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp, type PrechatGuardApp } from '../../../server/src/app';
import { CallerKeysFile } from '../../../server/src/callers/callerKeysFile';
import { loadConfig } from '../../../server/src/config';
import { ISSUER, NOW_MS, mint, removeDir, tempDir, testKey, trustDirWith, verify } from '../../support/fixtures';

const KEY_A = 'caller-key-a-0123456789abcdef0123';
const KEY_B = 'caller-key-b-0123456789abcdef0123';
const digestHex = (key: string) => createHash('sha256').update(key).digest('hex');
const hexes = (file: CallerKeysFile) => file.digests.map((digest) => digest.toString('hex'));

let dir: string;
let file: string;
beforeEach(() => {
  dir = tempDir('prechat-guard-keys-');
  file = path.join(dir, 'caller-keys');
});
afterEach(() => removeDir(dir));

describe('the key file', () => {
  it('reloads on change: a removed key is gone and an added key is there within seconds', async () => {
    writeFileSync(file, `${KEY_A}\n${KEY_B}\n`);
    const keys = new CallerKeysFile(file);
    keys.watch(100);
    try {
      expect(hexes(keys)).toEqual([digestHex(KEY_A), digestHex(KEY_B)]);
      writeFileSync(file, `# B revoked\n${KEY_A}\n`);
      await waitFor(() => hexes(keys).join() === digestHex(KEY_A));
      writeFileSync(file, `${KEY_A}\nsha256:${digestHex(KEY_B)}\n`);
      await waitFor(() => hexes(keys).length === 2);
    } finally {
      keys.close();
    }
  });

  it('sees a file replaced by a rename and a Kubernetes secret update (a link swapped in the folder)', async () => {
    const data1 = path.join(dir, '..data1');
    const data2 = path.join(dir, '..data2');
    writeFileSync(data1, `${KEY_A}\n`);
    symlinkSync('..data1', path.join(dir, '..data'));
    symlinkSync(path.join('..data'), file);
    const keys = new CallerKeysFile(file);
    keys.watch(100);
    try {
      expect(hexes(keys)).toEqual([digestHex(KEY_A)]);
      writeFileSync(data2, `${KEY_B}\n`);
      symlinkSync('..data2', path.join(dir, '..data_tmp'));
      renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
      await waitFor(() => hexes(keys).join() === digestHex(KEY_B));
      // An editor's save: write a new file, rename it over the link.
      writeFileSync(path.join(dir, 'new'), `${KEY_A}\n`);
      renameSync(path.join(dir, 'new'), file);
      await waitFor(() => hexes(keys).join() === digestHex(KEY_A));
    } finally {
      keys.close();
    }
  });

  it('skips a bad line on reload, reporting its number and never its text; the other lines keep working', () => {
    writeFileSync(file, `${KEY_A}\n`);
    const reloads: Array<{ problems: readonly unknown[] }> = [];
    const keys = new CallerKeysFile(file, { onReload: (snapshot) => reloads.push(snapshot) });
    writeFileSync(file, `${KEY_A}\nsha256:not-hex\n${KEY_B} # a comment on the key's line\n`);
    expect(keys.reload()).toBe(true);
    expect(hexes(keys)).toEqual([digestHex(KEY_A)]);
    expect(reloads.at(-1)!.problems).toEqual([
      { file, line: 2, problem: expect.stringContaining('64 hexadecimal') },
      { file, line: 3, problem: expect.stringContaining('space') },
    ]);
    expect(JSON.stringify(reloads)).not.toContain('caller-key-b');
  });

  it('accepts no key from a file that is gone or unreadable (fail closed), and recovers when it is back', () => {
    writeFileSync(file, `${KEY_A}\n`);
    const keys = new CallerKeysFile(file);
    unlinkSync(file);
    keys.reload();
    expect(keys.digests).toEqual([]);
    expect(keys.snapshot.problems).toEqual([{ file, problem: expect.stringMatching(/cannot read.*ENOENT/) }]);
    writeFileSync(file, `${KEY_A}\n`);
    if (process.getuid?.() !== 0) {
      chmodSync(file, 0o000);
      keys.reload();
      expect(keys.digests).toEqual([]);
      chmodSync(file, 0o600);
    }
    keys.reload();
    expect(hexes(keys)).toEqual([digestHex(KEY_A)]);
  });
});

describe('the service with PRECHAT_GUARD_CALLER_KEYS_FILE', () => {
  const signing = testKey('org-1');
  let trustDir: string;
  let app: PrechatGuardApp;
  beforeEach(async () => {
    trustDir = trustDirWith([signing]);
    writeFileSync(file, `# callers\n${KEY_A}\n`);
    app = await buildApp({
      config: loadConfig({
        NODE_ENV: 'production',
        PRECHAT_GUARD_TRUST_DIR: trustDir,
        PRECHAT_GUARD_ISSUER: ISSUER,
        PRECHAT_GUARD_CALLER_KEYS_FILE: file,
      }),
      now: () => NOW_MS,
      logger: false,
    });
  });
  afterEach(async () => {
    await app.close();
    removeDir(trustDir);
  });

  it('stops accepting a key within seconds of its removal, and accepts a new one within seconds', async () => {
    const status = async (key: string) => (await verify(app, { token: mint(signing) }, key)).status;
    expect(await status(KEY_A)).toBe(200);
    expect(await status(KEY_B)).toBe(401);
    writeFileSync(file, `# A revoked, B added\nsha256:${digestHex(KEY_B)}\n`);
    await waitForAsync(async () => (await status(KEY_A)) === 401 && (await status(KEY_B)) === 200);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  await waitForAsync(async () => condition(), timeoutMs);
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
