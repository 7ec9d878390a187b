import { runCli, type Io } from '../../../server/src/cli/main';
import { NOW_MS, mint, productionEnv, removeDir, tempDir, testKey, trustDirWith } from '../../support/fixtures';

function io(env: Record<string, string>, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env, now: () => NOW_MS, stdin: () => stdin };
  return { io: value, out, err };
}

const key = testKey('cli-key');
let trustDir: string;
beforeAll(() => {
  trustDir = trustDirWith([key]);
});
afterAll(() => removeDir(trustDir));

describe('prechat-guard inspect', () => {
  it('explains a valid token: header, claims, every check, exit 0', async () => {
    const run = io(productionEnv(trustDir));
    expect(await runCli(['inspect', mint(key)], run.io)).toBe(0);
    const text = run.out.join('\n');
    expect(text).toContain('"kid":"cli-key"');
    expect(text).toMatch(/pass\s+5\. signature valid/);
    expect(text).toMatch(/skipped\s+12\. session binding/);
    expect(text).toContain('result: VALID for user 005000000000001AAA');
  });

  it('marks the failing check with its reason code and exits 1', async () => {
    const run = io(productionEnv(trustDir));
    expect(await runCli(['inspect', mint(key), '--user-id', '005000000000002'], run.io)).toBe(1);
    const text = run.out.join('\n');
    expect(text).toMatch(/fail\s+11\. .*\[user_mismatch\]/);
    expect(text).toMatch(/not reached 13\./);
    expect(text).toContain('result: NOT VALID: user_mismatch');
  });

  it('reads the token from standard input with -', async () => {
    const run = io(productionEnv(trustDir), mint(key, { issuer: 'someone-else' }) + '\n');
    expect(await runCli(['inspect', '-'], run.io)).toBe(1);
    expect(run.out.join('\n')).toContain('NOT VALID: wrong_issuer');
  });

  it('tells a structural malformed token from a claim-format one', async () => {
    const run = io(productionEnv(trustDir));
    await runCli(['inspect', 'a.b'], run.io);
    expect(run.out.join('\n')).toMatch(/fail\s+1\. /);
  });
});

describe('prechat-guard mint and usage', () => {
  it('mints a development token that inspect accepts', async () => {
    const devDir = tempDir();
    const env = { PRECHAT_GUARD_DEV_DIR: devDir };
    const minted = io(env);
    expect(await runCli(['mint', '--user-id', '005000000000001'], minted.io)).toBe(0);
    const token = minted.out[0]!;
    expect(token.split('.')).toHaveLength(3);
    const inspected = io(env);
    expect(await runCli(['inspect', token], inspected.io)).toBe(0);
    removeDir(devDir);
  });

  it('exits 2 with usage for unknown commands and bad options', async () => {
    for (const argv of [
      ['frobnicate'],
      ['mint'],
      ['mint', '--user-id', '005000000000001', '--ttl', '9999'],
      ['inspect'],
    ]) {
      const run = io({});
      expect(await runCli(argv, run.io)).toBe(2);
      expect(run.err.join('\n')).toContain('Usage: prechat-guard');
    }
  });

  it('exits 78 naming the variable on a configuration error', async () => {
    const run = io({ NODE_ENV: 'production' });
    expect(await runCli(['inspect', 'a.b.c'], run.io)).toBe(78);
    expect(run.err.join('\n')).toContain('PRECHAT_GUARD_TRUST_DIR');
  });
});
