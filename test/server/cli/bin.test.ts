// The package's bin, as `npx prechat-guard` runs it: the compiled CLI (npm run build:server), its forwarding of
// `org …` to the admin commands in the same tree, what each command loads, and the npm package without them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../../support/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/prechat-guard.js');
const BUILT_CLI = path.join(ROOT, 'dist/server/src/cli/main.js');

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

/** Runs the compiled CLI with `argv` in a fresh Node and lists the modules it loaded that match `pattern`. */
function loadedBy(argv: string[], pattern: RegExp): { code: number | null; loaded: string[] } {
  const script =
    `require(${JSON.stringify(BUILT_CLI)}).runCli(${JSON.stringify(argv)}).then((code) => {` +
    `process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'); process.exitCode = code; });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', PRECHAT_GUARD_DEV_DIR: path.join(scratch, 'dev') },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = result.stderr.split('\n').find((text) => text.startsWith('LOADED '));
  if (line === undefined) throw new Error(`no module list from ${argv.join(' ')}: ${result.stderr}`);
  const modules = JSON.parse(line.slice('LOADED '.length)) as string[];
  return {
    code: result.status,
    loaded: modules.filter((file) => pattern.test(file)).map((file) => path.relative(ROOT, file)),
  };
}

// The development-only libraries the org commands use, and the org commands themselves.
const SALESFORCE_LIBRARIES = /node_modules[\\/](@salesforce|@jsforce|jszip|fast-xml-parser)[\\/]/;
const ORG_COMMANDS = /dist[\\/]server[\\/]src[\\/]cli[\\/]org[\\/]/;

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

  it.each([[['--help']], [['mint', '--help']], [['inspect', '--help']], [['serve', '--help']], [['help', 'mint']]])(
    '%j loads neither the org commands nor the Salesforce libraries',
    (argv) => {
      const { code, loaded } = loadedBy(argv, new RegExp(`${SALESFORCE_LIBRARIES.source}|${ORG_COMMANDS.source}`));
      expect(code).toBe(0);
      expect(loaded).toEqual([]);
    },
  );

  it('mint loads neither the org commands nor the Salesforce libraries', () => {
    const { code, loaded } = loadedBy(
      ['mint', '--user-id', '005000000000001'],
      new RegExp(`${SALESFORCE_LIBRARIES.source}|${ORG_COMMANDS.source}`),
    );
    expect(code).toBe(0);
    expect(loaded).toEqual([]);
  });

  it('org <command> --help answers from the options alone: the command and the Salesforce libraries stay unloaded', () => {
    for (const command of ['deploy', 'assign', 'export-cert', 'doctor']) {
      const { code, loaded } = loadedBy(['org', command, '--help'], SALESFORCE_LIBRARIES);
      expect([command, code, loaded]).toEqual([command, 0, []]);
    }
    const orgModules = loadedBy(['org', 'doctor', '--help'], ORG_COMMANDS).loaded.map((file) => path.basename(file));
    expect(orgModules).toContain('doctorOptions.js');
    expect(orgModules).not.toContain('doctor.js');
  });

  it('an org command that runs loads its module and the Salesforce libraries', () => {
    // No such login: the command fails at the connection, after loading what it needs.
    const { loaded } = loadedBy(['org', 'doctor', '--target-org', 'no-such-alias-for-this-test'], SALESFORCE_LIBRARIES);
    expect(loaded.some((file) => file.includes('@salesforce'))).toBe(true);
  });

  it('the npm package leaves the org commands out and keeps the rest of the command line', () => {
    // What `npm pack` would put in the tarball (package.json "files"), without building it.
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(packed.status).toBe(0);
    const [listing] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
      files: Array<{ path: string }>;
    }>;
    const files = listing!.files.map((file) => file.path);
    expect(files).toContain('bin/prechat-guard.js');
    expect(files).toContain('dist/server/src/cli/main.js');
    expect(files.filter((file) => file.startsWith('dist/server/src/cli/org/'))).toEqual([]);
  });

  it('in the npm package, which leaves the org commands out, org answers with a stable error and the way out', () => {
    // The package's layout: bin/ and dist/server/src without cli/org (package.json "files"), its dependencies beside.
    const packaged = tempDir();
    mkdirSync(path.join(packaged, 'bin'));
    cpSync(BIN, path.join(packaged, 'bin/prechat-guard.js'));
    cpSync(path.join(ROOT, 'dist/server/src'), path.join(packaged, 'dist/server/src'), {
      recursive: true,
      filter: (source) => !ORG_COMMANDS.test(`${source}${path.sep}`),
    });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(packaged, 'node_modules'), 'dir');
    const packagedBin = path.join(packaged, 'bin/prechat-guard.js');
    expect(readdirSync(path.join(packaged, 'dist/server/src/cli'))).not.toContain('org');
    for (const args of [
      ['org', 'doctor', '--target-org', 'x'],
      ['org', '--help'],
      ['help', 'org'],
    ]) {
      const result = spawnSync(process.execPath, [packagedBin, ...args], { encoding: 'utf8', timeout: 30_000 });
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 1]);
      expect(result.stderr).toContain('prechat-guard: [org_commands_need_clone] the org commands are not part of');
      expect(result.stderr).toContain('run org commands from a clone of the repository');
    }
    const minted = spawnSync(process.execPath, [packagedBin, 'mint', '--user-id', '005000000000001'], {
      env: { PATH: process.env.PATH ?? '', PRECHAT_GUARD_DEV_DIR: path.join(packaged, 'dev') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(minted.status).toBe(0);
    removeDir(packaged);
  });
});
