// The package's bin, as `npx prechat-guard` runs it: the compiled CLI (npm run build:server) and its forwarding of
// `org …` to the admin commands compiled beside the service.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../../support/fixtures';

const BIN = path.resolve(__dirname, '../../../bin/prechat-guard.js');

function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('bin/prechat-guard.js', () => {
  it('prints usage with exit 0 for help', () => {
    const { code, out } = run(['help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: prechat-guard <command>');
  });

  it('forwards org commands to the admin command line', () => {
    const { code, out, err } = run(['org', 'export-cert', '--help']);
    expect(code).toBe(0);
    expect(out + err).toContain('--target-org');
  });

  it('mints and inspects a development token end to end', () => {
    const devDir = tempDir();
    const minted = run(['mint', '--user-id', '005000000000001'], { PRECHAT_GUARD_DEV_DIR: devDir });
    expect(minted.code).toBe(0);
    const inspected = run(['inspect', minted.out.trim()], { PRECHAT_GUARD_DEV_DIR: devDir });
    expect(inspected.code).toBe(0);
    expect(inspected.out).toContain('result: VALID for user 005000000000001AAA');
    removeDir(devDir);
  });

  it('prints usage with exit 0 for --help on every command and org subcommand', () => {
    for (const args of [
      ['mint', '--help'],
      ['inspect', '--help'],
      ['serve', '--help'],
      ['org', '--help'],
      ['org', 'deploy', '--help'],
      ['org', 'assign', '--help'],
      ['org', 'export-cert', '--help'],
      ['org', 'doctor', '--help'],
    ]) {
      const { code, out } = run(args);
      expect([args.join(' '), code]).toEqual([args.join(' '), 0]);
      expect(out).toMatch(/Usage: prechat-guard/);
    }
  });

  it('inspect outside a clone refuses (no_trust_store, exit 78) and writes nothing in the current folder', () => {
    const outside = tempDir();
    const { code, out, err } = run(['inspect', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'], {}, outside);
    expect(code).toBe(78);
    expect(err).toContain('[no_trust_store]');
    expect(out).not.toContain('NOT VALID');
    expect(readdirSync(outside)).toEqual([]);
    removeDir(outside);
  });
});
