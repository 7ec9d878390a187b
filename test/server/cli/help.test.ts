// --help on every command: usage on standard output, exit 0, and nothing else done (no token checked, no service
// started, no key generated).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { removeDir, tempDir } from '../../support/fixtures';
import { captureIo } from './support';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

const env = () => ({ PRECHAT_GUARD_DEV_DIR: path.join(dir, 'dev') });

describe('--help', () => {
  it.each([
    ['inspect', '--help'],
    ['inspect', '-h'],
    ['mint', '--help'],
    ['mint', '-h'],
    ['serve', '--help'],
    ['serve', '-h'],
  ])('%s %s prints that command’s usage and exits 0', async (command, flag) => {
    const run = captureIo(env());
    expect(await runCli([command, flag], run.io)).toBe(0);
    expect(run.text()).toContain(`Usage: prechat-guard ${command}`);
    expect(run.errors()).toBe('');
  });

  it('wins over other arguments, valid or not', async () => {
    for (const argv of [
      ['mint', '--user-id', '005000000000001', '--help'],
      ['mint', '--ttl', '99999', '--help'],
      ['inspect', 'a.b.c', '--help'],
      ['inspect', '--nonsense', '-h'],
    ]) {
      const run = captureIo(env());
      expect(await runCli(argv, run.io)).toBe(0);
      expect(run.text()).toContain(`Usage: prechat-guard ${argv[0]}`);
    }
    expect(existsSync(path.join(dir, 'dev'))).toBe(false);
  });

  it('help <command> prints the same usage', async () => {
    for (const command of ['inspect', 'mint', 'serve']) {
      const run = captureIo(env());
      expect(await runCli(['help', command], run.io)).toBe(0);
      expect(run.text()).toContain(`Usage: prechat-guard ${command}`);
    }
  });

  it('the overview names every command and where to find more', async () => {
    const run = captureIo(env());
    expect(await runCli(['--help'], run.io)).toBe(0);
    for (const command of ['serve', 'inspect', 'mint', 'org']) expect(run.text()).toContain(`  ${command}`);
    expect(run.text()).toContain('prechat-guard <command> --help');
  });

  it('help for an unknown command is a usage error (exit 2)', async () => {
    const run = captureIo(env());
    expect(await runCli(['help', 'frobnicate'], run.io)).toBe(2);
    expect(run.errors()).toContain('unknown command "frobnicate"');
  });
});
