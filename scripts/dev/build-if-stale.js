#!/usr/bin/env node
// Builds the compiled TypeScript (`tsc -p tsconfig.build.json` into dist/) only when the build is missing or older
// than its sources, so that `npm run cli|org:*|demo|…` start in a fraction of a second once built instead of
// recompiling every time (about 6 s). Usage: `node scripts/dev/build-if-stale.js [--always] [<output that must exist>…]`.
//
// "Older" is judged by a stamp file whose modification time is taken just BEFORE the compiler starts and which is put
// in place only when it succeeds: a source saved during a build (after the compiler read it) is newer than the stamp
// and triggers the next build. Folders count as sources too, because deleting or renaming a file changes only its
// folder's modification time. A source saved in the same clock tick as the stamp counts as newer (a rebuild too many,
// never one too few), which also covers file systems with coarse timestamps.
const { spawnSync } = require('node:child_process');
const {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const path = require('node:path');

const STAMP = '.build-stamp';
/** The compiler settings that change the output, besides the sources. */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);

/** The folders tsconfig.build.json compiles: each `include` pattern up to its first wildcard. */
function sourceFolders(root) {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
  return (config.include ?? []).map((pattern) => path.join(root, pattern.split(/[*?{]/)[0]));
}

/** The newest modification time (ms) among the TypeScript sources, their folders and the compiler settings. */
function newestSourceMs(root) {
  let newest = 0;
  const consider = (file) => {
    newest = Math.max(newest, statSync(file).mtimeMs);
  };
  const walk = (folder) => {
    consider(folder);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) consider(full);
    }
  };
  for (const folder of sourceFolders(root)) if (existsSync(folder)) walk(folder);
  for (const file of CONFIG_FILES) if (existsSync(path.join(root, file))) consider(path.join(root, file));
  return newest;
}

/** Why the build must run, or undefined when it is up to date. `outputs` are root-relative files that must exist. */
function staleReason(root, outputs = []) {
  const stamp = path.join(root, 'dist', STAMP);
  if (!existsSync(stamp)) return 'not built yet';
  const missing = outputs.find((output) => !existsSync(path.join(root, output)));
  if (missing !== undefined) return `${missing} is missing`;
  if (newestSourceMs(root) >= statSync(stamp).mtimeMs) return 'sources changed since the last build';
  return undefined;
}

/** Runs the compiler; on success the stamp made before it started becomes the build's stamp. Returns its exit code. */
function build(root) {
  const dist = path.join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  // One pending stamp per process: two builds at once must not take each other's start time.
  const pending = path.join(dist, `${STAMP}.${process.pid}`);
  writeFileSync(pending, `${new Date().toISOString()}\n`);
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  const code = result.status ?? 1;
  if (code === 0) renameSync(pending, path.join(dist, STAMP));
  else rmSync(pending, { force: true });
  return code;
}

/** Builds when stale (or always); returns the exit code to end with. */
function ensureBuilt({ root, outputs = [], always = false }) {
  if (!always && staleReason(root, outputs) === undefined) return 0;
  return build(root);
}

module.exports = { build, ensureBuilt, newestSourceMs, sourceFolders, staleReason, STAMP };

if (require.main === module) {
  const args = process.argv.slice(2);
  process.exitCode = ensureBuilt({
    root: path.resolve(__dirname, '../..'),
    always: args.includes('--always'),
    outputs: args.filter((arg) => arg !== '--always'),
  });
}
