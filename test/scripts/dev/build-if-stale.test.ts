// The npm scripts' build check: a command runs the compiled code as it is only when nothing it was built from has
// changed since; anything newer (a source, a new or deleted file, the compiler settings) triggers a real rebuild.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../../support/fixtures';

interface BuildIfStale {
  ensureBuilt(options: { root: string; outputs?: string[]; always?: boolean }): number;
  staleReason(root: string, outputs?: string[]): string | undefined;
  sourceFolders(root: string): string[];
  STAMP: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS: it runs before anything is compiled
const launcher = require('../../../scripts/dev/build-if-stale') as BuildIfStale;

const TSCONFIG = {
  compilerOptions: { rootDir: '.', outDir: 'dist', module: 'commonjs', target: 'ES2022', strict: true, types: [] },
  include: ['src/**/*.ts'],
};

let root: string;
const file = (relative: string) => path.join(root, relative);
const write = (relative: string, text: string) => {
  mkdirSync(path.dirname(file(relative)), { recursive: true });
  writeFileSync(file(relative), text);
};
const stampFile = () => file(`dist/${launcher.STAMP}`);
/** Moves every time in the project `seconds` into the past, so that a change made now is certainly newer. */
function age(seconds: number, relative = '.'): void {
  const when = new Date(Date.now() - seconds * 1000);
  const full = file(relative);
  if (statSync(full).isDirectory()) for (const entry of readdirSync(full)) age(seconds, path.join(relative, entry));
  utimesSync(full, when, when);
}

beforeEach(() => {
  root = tempDir('prechat-guard-build-');
  write('tsconfig.build.json', JSON.stringify(TSCONFIG));
  write('tsconfig.json', '{}');
  write('src/greeting.ts', "export const greeting = 'hello';\n");
});
afterEach(() => removeDir(root));

/** Ages the whole project so that the build stamp is older than now but newer than every source. */
function settle(): void {
  age(60);
  utimesSync(stampFile(), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
  expect(launcher.staleReason(root)).toBeUndefined();
}

/** A real build, settled. */
function builtAndSettled(): void {
  expect(launcher.ensureBuilt({ root })).toBe(0);
  settle();
}

/** Only the stamp a build leaves (for the checks that never compile), settled. */
function stampedAndSettled(): void {
  write(`dist/${launcher.STAMP}`, 'built\n');
  settle();
}

/** Saved a few seconds ago: after the settled build, and clear of the clock tick a new build starts in. */
function savedRecently(relative: string): void {
  const when = new Date(Date.now() - 5_000);
  utimesSync(file(relative), when, when);
}

describe('build-if-stale', () => {
  it('builds when nothing was built yet, then leaves a fresh build alone', () => {
    expect(launcher.staleReason(root)).toBe('not built yet');
    builtAndSettled();
    expect(readFileSync(file('dist/src/greeting.js'), 'utf8')).toContain("'hello'");
    const builtAt = statSync(file('dist/src/greeting.js')).mtimeMs;
    expect(launcher.ensureBuilt({ root })).toBe(0);
    expect(statSync(file('dist/src/greeting.js')).mtimeMs).toBe(builtAt);
  });

  it('rebuilds after a source changed, and the output follows the source', () => {
    builtAndSettled();
    write('src/greeting.ts', "export const greeting = 'changed';\n");
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');
    savedRecently('src/greeting.ts');
    expect(launcher.ensureBuilt({ root })).toBe(0);
    expect(readFileSync(file('dist/src/greeting.js'), 'utf8')).toContain("'changed'");
    expect(launcher.staleReason(root)).toBeUndefined();
  });

  it('counts a source saved in the same clock tick as the build as newer', () => {
    stampedAndSettled();
    const stampTime = statSync(stampFile()).mtime;
    utimesSync(file('src/greeting.ts'), stampTime, stampTime);
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');
  });

  it('sees a new file in a new folder, a deleted file and changed compiler settings', () => {
    stampedAndSettled();
    write('src/deep/er/extra.ts', 'export const extra = 1;\n');
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');

    stampedAndSettled();
    rmSync(file('src/deep/er/extra.ts'));
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');

    stampedAndSettled();
    write('tsconfig.json', '{ }');
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');
  });

  it('ignores what is not a source: other files, dist, node_modules', () => {
    stampedAndSettled();
    write('src/notes.md', 'not compiled\n');
    write('src/node_modules/pkg/index.ts', 'export {};\n');
    age(60, 'src');
    write('src/notes.md', 'still not compiled\n');
    write('src/node_modules/pkg/index.ts', 'export const changed = 1;\n');
    expect(launcher.staleReason(root)).toBeUndefined();
  });

  it('builds when an output the command needs is missing', () => {
    builtAndSettled();
    expect(launcher.staleReason(root, ['dist/src/greeting.js'])).toBeUndefined();
    rmSync(file('dist/src/greeting.js'));
    expect(launcher.staleReason(root, ['dist/src/greeting.js'])).toBe('dist/src/greeting.js is missing');
    expect(launcher.ensureBuilt({ root, outputs: ['dist/src/greeting.js'] })).toBe(0);
    expect(existsSync(file('dist/src/greeting.js'))).toBe(true);
  });

  it('a failed build keeps the build stale and returns the compiler’s exit code', () => {
    builtAndSettled();
    write('src/greeting.ts', 'export const greeting: number = "not a number";\n');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = launcher.ensureBuilt({ root });
    } finally {
      stderr.mockRestore();
    }
    expect(code).not.toBe(0);
    expect(launcher.staleReason(root)).toBe('sources changed since the last build');
    expect(readdirSync(file('dist')).filter((name) => name.startsWith(`${launcher.STAMP}.`))).toEqual([]);
  });

  it('--always builds even when fresh', () => {
    builtAndSettled();
    const before = statSync(stampFile()).mtimeMs;
    expect(launcher.ensureBuilt({ root, always: true })).toBe(0);
    expect(statSync(stampFile()).mtimeMs).toBeGreaterThan(before);
  });

  it("reads the repository's source folders from its tsconfig.build.json", () => {
    const repo = path.resolve(__dirname, '../../..');
    expect(launcher.sourceFolders(repo)).toContain(path.join(repo, 'server/src/'));
  });
});
