// docs/deployment.md promises that every command and Redis configuration line on it is one the tests run. The lines
// the topology tests use come from test/support/redisServers.ts; this test finds each of them, verbatim, on the page.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { AOF_ALWAYS, SERVICE_ACL, clusterCreateArgs, sentinelDirectives } from '../support/redisServers';

const ROOT = path.resolve(__dirname, '../..');
const page = readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const lines = (directives: string[][]) => directives.map((directive) => directive.join(' ')).join('\n');

describe('docs/deployment.md', () => {
  it('shows the package commands the package test runs, for this version', () => {
    for (const command of [
      'npm pack',
      `npm install /path/to/prechat-guard-${version}.tgz --omit=dev --no-audit --no-fund`,
      'npx prechat-guard serve',
      'ExecStart=/opt/prechat-guard/node_modules/.bin/prechat-guard serve',
      'CMD ["node_modules/.bin/prechat-guard", "serve"]',
      `COPY prechat-guard-${version}.tgz /tmp/`,
    ]) {
      expect(page).toContain(command);
    }
  });

  it('shows the Redis lines the topology tests start their servers with', () => {
    expect(page).toContain(lines(AOF_ALWAYS));
    expect(page).toContain(`user prechat-guard on >change-me ${SERVICE_ACL.join(' ')}`);
    expect(page).toContain(lines(sentinelDirectives('prechat-guard', '10.0.2.10:6379', 2)));
    const nodes = [1, 2, 3, 4, 5, 6].map((n) => `10.0.1.${n}:6379`);
    expect(page).toContain(`redis-cli ${clusterCreateArgs(nodes, 1).join(' ')}`);
    // the TLS directives RedisServer writes for a TLS-only server
    expect(page).toContain('port 0\ntls-port 6380\ntls-cert-file');
    expect(page).toContain('tls-auth-clients no\nuser default off');
  });

  it('names a test file for what it says is tested, and each exists', () => {
    const named = [...new Set(page.match(/[A-Za-z]+\.test\.ts/g) ?? [])];
    expect(named.length).toBeGreaterThan(5);
    const testFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? testFiles(path.join(dir, entry.name)) : [entry.name],
      );
    const existing = new Set(testFiles(path.join(ROOT, 'test')));
    expect(named.filter((name) => !existing.has(name))).toEqual([]);
  });
});
