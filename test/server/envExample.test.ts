// .env.example lists every environment variable the service reads (found in its source, so a new variable without an
// entry fails here), each with a comment, nothing it does not read, and its uncommented values start the service.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/src/config';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The admin commands run against a Salesforce org, not the service: their variables are documented with them. */
const ORG_COMMANDS = path.join(ROOT, 'server/src/cli/org');

/** Every variable name read in `files`: read(env, 'X'), integer(env, 'X'), process.env.X, env['X'], 'PRECHAT_GUARD_X'. */
function variablesReadIn(files: string[]): Set<string> {
  const names = new Set<string>();
  const patterns = [
    /(?:read|integer)\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g,
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /'((?:PRECHAT_GUARD|REDIS)_[A-Z0-9_]+)'/g,
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  }
  return names;
}

/** Every variable the service reads (its source, the admin commands left out). */
function variablesRead(): Set<string> {
  return variablesReadIn(sources(path.join(ROOT, 'server/src')).filter((file) => !file.startsWith(ORG_COMMANDS)));
}

const lines = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
const ENTRY = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/;
const entries = lines.flatMap((line, index) => {
  const match = ENTRY.exec(line);
  return match ? [{ name: match[2]!, value: match[3]!, active: match[1] === undefined, index }] : [];
});

describe("the admin commands' variables", () => {
  it('are each documented in docs/install.md, and none of them is a service setting', () => {
    const orgVariables = variablesReadIn(sources(ORG_COMMANDS));
    expect(orgVariables.size).toBeGreaterThan(0); // the scan found them, not nothing
    const install = readFileSync(path.join(ROOT, 'docs/install.md'), 'utf8');
    expect([...orgVariables].filter((name) => !install.includes(name))).toEqual([]);
    expect([...orgVariables].filter((name) => variablesRead().has(name))).toEqual([]);
  });
});

describe('.env.example', () => {
  it('lists every variable the service reads, and only those', () => {
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(30); // the scan found the configuration, not nothing
    expect([...read].filter((name) => !entries.some((entry) => entry.name === name)).sort()).toEqual([]);
    expect(entries.map((entry) => entry.name).filter((name) => !read.has(name))).toEqual([]);
    expect(new Set(entries.map((entry) => entry.name)).size).toBe(entries.length);
  });

  it('says what each one is: a comment line right above every entry', () => {
    for (const { name, index } of entries) {
      const above = lines[index - 1] ?? '';
      expect({ name, above }).toEqual({ name, above: expect.stringMatching(/^# (?![A-Z][A-Z0-9_]*=)\S/) });
    }
  });

  it('holds no usable secret: the example caller key is a digest that matches no key', () => {
    const keys = entries.find((entry) => entry.name === 'PRECHAT_GUARD_CALLER_KEYS')!;
    expect(keys).toMatchObject({ active: true, value: `sha256:${'0'.repeat(64)}` });
  });

  it('its active values are a valid production configuration', () => {
    const env = Object.fromEntries(entries.filter((entry) => entry.active).map((entry) => [entry.name, entry.value]));
    const config = loadConfig(env);
    expect(config).toMatchObject({ mode: 'production', host: '0.0.0.0', port: 8787, redis: null });
    expect(config.warnings).toEqual([]);
  });
});
