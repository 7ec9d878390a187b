// The compiled service (npm run build:server) refusing to start, as an operator sees it: the exit code and what it
// writes to stderr. Configuration problems exit 78 (EX_CONFIG) all in one message; an unsupported Node exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { unsupportedNodeMessage } from '../../../server/src/nodeVersion';
import { removeDir, tempDir } from '../../support/fixtures';

const MAIN = path.resolve(__dirname, '../../../dist/server/src/main.js');

function start(env: Record<string, string>, node = process.execPath) {
  const devDir = tempDir();
  try {
    // A service that wrongly starts would run until the timeout: that shows up as a null status.
    const result = spawnSync(node, [MAIN], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', PRECHAT_GUARD_DEV_DIR: devDir, ...env },
      encoding: 'utf8',
      timeout: 8000,
    });
    return { status: result.status, stderr: result.stderr, stdout: result.stdout };
  } finally {
    removeDir(devDir);
  }
}

describe('configuration problems at start-up', () => {
  it('lists every missing production variable in one message and exits 78', () => {
    const run = start({ NODE_ENV: 'production' });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/^prechat-guard: configuration error: 3 problems/);
    for (const variable of ['PRECHAT_GUARD_TRUST_DIR', 'PRECHAT_GUARD_ISSUER', 'PRECHAT_GUARD_CALLER_KEYS'])
      expect(run.stderr).toContain(`- ${variable}: `);
  });

  it('refuses a trust folder that does not exist instead of serving an empty JWKS', () => {
    const run = start({
      NODE_ENV: 'production',
      PRECHAT_GUARD_TRUST_DIR: '/nonexistent/prechat-guard/trust',
      PRECHAT_GUARD_ISSUER: '00D000000000001AAA',
      PRECHAT_GUARD_CALLER_KEYS: 'a-caller-key-that-is-long-enough',
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('PRECHAT_GUARD_TRUST_DIR: cannot read the folder /nonexistent/prechat-guard/trust');
    expect(run.stdout).not.toContain('trust store loaded');
  });

  it.each(['prod', 'Production'])('refuses NODE_ENV=%s instead of starting in dev mode', (value) => {
    const run = start({ NODE_ENV: value });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain(`NODE_ENV: must be "production", "development" or unset`);
    expect(run.stdout).not.toContain('DEVELOPMENT MODE');
  });
});

describe('the Node version', () => {
  it.each(['22.0.0', '22.12.0', '24.21.0', 'v26.1.0'])('accepts Node %s', (version) => {
    expect(unsupportedNodeMessage(version)).toBeNull();
  });

  it.each(['20.20.2', '18.19.0', 'v21.7.3', 'garbage'])('refuses Node %s and says how to fix it', (version) => {
    const message = unsupportedNodeMessage(version)!;
    expect(message).toContain(`Node ${version} is not supported`);
    expect(message).toContain('. scripts/dev/use-node.sh');
    expect(message).toMatch(/install Node 22\+/);
  });

  // The machine's Debian Node (20 on these images) proves the refusal end to end; skipped, saying so, without one.
  const OLD_NODE = '/usr/bin/node';
  const oldMajor = existsSync(OLD_NODE)
    ? Number(execFileSync(OLD_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }))
    : NaN;
  const withOldNode = oldMajor < 22 ? it : it.skip;
  if (!(oldMajor < 22)) console.warn(`skipped the Node < 22 start test: ${OLD_NODE} is missing or Node 22+`);

  withOldNode(`refuses to start under ${OLD_NODE} (Node < 22) before anything else, exit 1`, () => {
    const run = start({}, OLD_NODE);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^prechat-guard: Node 2?\d\.[\d.]+ is not supported/);
    expect(run.stderr).toContain('. scripts/dev/use-node.sh');
    expect(run.stdout).toBe('');
  });
});
