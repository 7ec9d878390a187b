import { parseFlags } from '../../../../server/src/cli/org/args';
import { renderTable } from '../../../../server/src/cli/org/output';
import { runOrgCommand } from '../../../../server/src/cli/org/main';
import { captureIo } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');

describe('runOrgCommand', () => {
  test('no command prints the usage with the exit codes and exits 2', async () => {
    const captured = captureIo(NOW);
    expect(await runOrgCommand([], captured.io)).toBe(2);
    expect(captured.stdout()).toContain('Commands:');
    expect(captured.stdout()).toContain('Exit codes: 0 ok, 1 a deploy or check failed, 2 usage error, 3 no usable');
  });

  test('an unknown command exits 2 and lists the real ones', async () => {
    const captured = captureIo(NOW);
    expect(await runOrgCommand(['deploi'], captured.io)).toBe(2);
    expect(captured.stderr()).toContain('Unknown command "deploi"');
    expect(captured.stderr()).toContain('deploy, assign, export-cert, doctor');
  });

  test.each(['deploy', 'assign', 'export-cert', 'doctor'])(
    '%s --help exits 0 without touching any org',
    async (name) => {
      const captured = captureIo(NOW);
      expect(await runOrgCommand([name, '--help'], captured.io)).toBe(0);
      expect(captured.stdout()).toContain(`Usage: prechat-guard org ${name} [options]`);
      expect(captured.stdout()).toContain('--target-org <target-org>');
    },
  );

  test('deploy --help explains both paths and why bootstrap is separate', async () => {
    const captured = captureIo(NOW);
    expect(await runOrgCommand(['deploy', '--help'], captured.io)).toBe(0);
    const out = captured.stdout();
    expect(out).toContain('Upgrade (default)  deploys force-app');
    expect(out).toContain('--first-install --service-url https://<your service>');
    expect(out).toContain('new certificate key pairs');
    expect(out).toMatch(/--with-legacy-chat\s+also deploy legacy-chat/);
  });

  test('a usage error is reported before the command is loaded, as it was inside it', async () => {
    const captured = captureIo(NOW);
    expect(await runOrgCommand(['doctor', '--nope'], captured.io)).toBe(2);
    expect(captured.stderr()).toContain('[usage_error] unknown option --nope for "doctor"');
  });

  test('without the development dependencies a command names the missing package and how to install it', async () => {
    const captured = captureIo(NOW);
    let code: number | undefined;
    await jest.isolateModulesAsync(async () => {
      // As in a clone installed with --omit=dev: the Salesforce library cannot be found.
      jest.doMock('@salesforce/core', () => {
        throw Object.assign(new Error("Cannot find module '@salesforce/core'"), { code: 'MODULE_NOT_FOUND' });
      });
      type OrgMain = typeof import('../../../../server/src/cli/org/main');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy inside the isolated registry
      const isolated = require('../../../../server/src/cli/org/main') as OrgMain;
      code = await isolated.runOrgCommand(['doctor', '--target-org', 'my-org'], captured.io);
    });
    expect(code).toBe(1);
    expect(captured.stderr()).toContain(
      '[dependencies_missing] org doctor needs the development dependencies of the repository, and @salesforce/core is not installed.',
    );
    expect(captured.stderr()).toContain('run `npm ci` (without --omit=dev)');
  });
});

describe('parseFlags', () => {
  const specs = {
    'target-org': { type: 'string' as const, short: 'o', description: '' },
    'dry-run': { type: 'boolean' as const, description: '' },
  };

  test('reads --flag value, --flag=value, short aliases and booleans', () => {
    expect(parseFlags(['-o', 'a', '--dry-run'], specs, 'x')).toEqual({ 'target-org': 'a', 'dry-run': true });
    expect(parseFlags(['--target-org=b'], specs, 'x')).toEqual({ 'target-org': 'b' });
  });

  test.each([
    [['--nope'], /unknown option --nope/],
    [['--target-org'], /--target-org needs a value/],
    [['--target-org', '--dry-run'], /--target-org needs a value/],
    [['--dry-run=yes'], /--dry-run takes no value/],
    [['stray'], /unexpected argument "stray"/],
    [['--constructor', 'x'], /unknown option --constructor/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseFlags(argv, specs, 'x')).toThrow(expect.objectContaining({ code: 'usage_error', exitCode: 2 }));
    expect(() => parseFlags(argv, specs, 'x')).toThrow(message);
  });
});

test('renderTable aligns columns and leaves the last one unpadded', () => {
  expect(
    renderTable(
      ['A', 'LONGER'],
      [
        ['value', 'x'],
        ['v', 'a long message'],
      ],
    ),
  ).toBe('A      LONGER\n─────  ──────────────\nvalue  x\nv      a long message\n');
});
