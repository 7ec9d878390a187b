// The npm package as an operator gets it: `npm pack` (its prepack builds the service), `npm install <tarball>
// --omit=dev` into an empty folder with the registry's dependencies, then `npx prechat-guard serve` there in production
// mode from environment variables alone (a certificate generated here, test-only). It must be ready (/readyz 200),
// verify a token, and stop cleanly on SIGTERM; and the package must hold nothing but what that needs.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort, request } from '../../../bench/lib/processes';
import { createCallerKey } from '../../../bench/lib/keys';
import { createTrust, ISSUER, validToken, type TrustFixture } from '../../hardening/support/service';
import { sleep, stopAllRedis, tempFolder } from '../../support/redisServers';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
/** What the package may contain besides package.json, README.md and LICENSE (npm always adds those). */
const SHIPPED = ['.env.example', 'bin', 'dist', 'docs'];

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

describe('the installed npm package', () => {
  let trust: TrustFixture;
  let folder: string;
  let tarball: string;
  let packed: { size: number; unpackedSize: number };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    trust = createTrust();
    folder = tempFolder('package');
    const json = await run('npm', ['pack', '--json', '--pack-destination', folder], ROOT, 60_000);
    const [info] = JSON.parse(json.slice(json.indexOf('['))) as Array<{
      filename: string;
      size: number;
      unpackedSize: number;
    }>;
    packed = info!;
    tarball = path.join(folder, info!.filename);
  });

  afterAll(async () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
    await stopAllRedis(); // removes the temporary folders
    trust?.remove();
  });

  it('is a small tarball of the built service and its command line only', () => {
    expect(existsSync(tarball)).toBe(true);
    expect(packed.size).toBeLessThan(150_000);
    expect(statSync(tarball).size).toBe(packed.size);
  });

  it('installs into an empty folder with its runtime dependencies only', async () => {
    const installDir = path.join(folder, 'install');
    await run('mkdir', ['-p', installDir], folder, 5_000);
    await run('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund'], installDir, 90_000);
    const installed = path.join(installDir, 'node_modules/prechat-guard');
    const top = readdirSync(installed).filter((name) => !['package.json', 'README.md', 'LICENSE'].includes(name));
    expect(top.sort()).toEqual(SHIPPED);
    const shipped = files(installed).map((file) => path.relative(installed, file));
    expect(shipped.filter((file) => file.startsWith('dist/') && !file.startsWith('dist/server/src/'))).toEqual([]);
    expect(shipped.filter((file) => /\.(ts|map)$|test|bench|fixture|demo/.test(file))).toEqual([]);
    // A development tool in node_modules would mean --omit=dev did not hold, or a dependency is misfiled.
    for (const devOnly of ['typescript', 'jest', '@salesforce/core', 'playwright-core']) {
      expect(existsSync(path.join(installDir, 'node_modules', devOnly))).toBe(false);
    }
  });

  /** Starts `command args` in the install folder with the production environment; resolves once /readyz is 200. */
  async function serve(command: string, args: string[]) {
    const installDir = path.join(folder, 'install');
    const port = await freePort();
    const callerKey = createCallerKey();
    const child = spawn(command, args, {
      cwd: installDir,
      detached: true, // its own process group, which afterAll can stop whole
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? folder,
        npm_config_yes: 'false', // npx must never fetch a package named prechat-guard from the registry instead
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        PRECHAT_GUARD_TRUST_DIR: trust.dir,
        PRECHAT_GUARD_ISSUER: ISSUER,
        PRECHAT_GUARD_CALLER_KEYS: callerKey,
      },
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // 'close': every process holding its output (npx and the service under it) has exited.
    const closed = new Promise<number | string>((resolve) =>
      child.once('close', (code, signal) => resolve(code ?? signal ?? -1)),
    );
    const deadline = Date.now() + 20_000;
    let ready = 0;
    while (Date.now() < deadline && child.exitCode === null && ready !== 200) {
      ready = await request(port, 'GET', '/readyz', { timeoutMs: 1000 }).then(
        (answer) => answer.status,
        () => 0,
      );
      if (ready !== 200) await sleep(100);
    }
    expect({ ready, output }).toEqual({ ready: 200, output: expect.any(String) });
    return { child, port, callerKey, closed, output: () => output };
  }

  /** How the process ended, or 'still running after 15 s' (the timer is cleared either way). */
  async function stopped(closed: Promise<number | string>): Promise<number | string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>(
      (resolve) => (timer = setTimeout(() => resolve('still running after 15 s'), 15_000)),
    );
    try {
      return await Promise.race([closed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('serves with `npx prechat-guard serve` in production mode from the environment alone, and verifies', async () => {
    const { child, port, callerKey, closed, output } = await serve('npx', ['prechat-guard', 'serve']);
    const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
    const verified = await request(port, 'POST', '/v1/verify', {
      headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token, sessionKey: '0Mw-packaged' }),
    });
    expect(JSON.parse(verified.body)).toMatchObject({ valid: true, binding: 'new' });
    expect(output()).toContain('"mode":"production"');

    // npx does not pass signals on: stop the group, as systemd's default KillMode does.
    process.kill(-child.pid!, 'SIGTERM');
    expect(await stopped(closed)).not.toBe('still running after 15 s');
    expect(output()).toContain('shutting down');
  });

  it('exits 0 on SIGTERM when a process manager runs its bin directly (the systemd unit and the Dockerfile)', async () => {
    const { child, closed, output } = await serve('node_modules/.bin/prechat-guard', ['serve']);
    child.kill('SIGTERM');
    expect(await stopped(closed)).toBe(0);
    expect(output()).toContain('shutting down');
  });
});
