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

/** Every variable name the service's source reads: read(env, 'X'), integer(env, 'X'), process.env.X, 'PRECHAT_GUARD_X'. */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  const patterns = [
    /(?:read|integer)\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g,
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /'((?:PRECHAT_GUARD|REDIS)_[A-Z0-9_]+)'/g,
  ];
  for (const file of sources(path.join(ROOT, 'server/src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  }
  return names;
}

const lines = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
const ENTRY = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/;
const entries = lines.flatMap((line, index) => {
  const match = ENTRY.exec(line);
  return match ? [{ name: match[2]!, value: match[3]!, active: match[1] === undefined, index }] : [];
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
