// npm pack's last build step: removes compiled service files whose TypeScript source is gone, so that the package
// never ships a module that no longer exists in server/src (tsc writes outputs but never deletes old ones).
import { readdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const built = path.join(root, 'dist/server/src');
const source = path.join(root, 'server/src');

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(full);
      continue;
    }
    const base = path.relative(built, full).replace(/\.js(\.map)?$/, '');
    if (base !== path.relative(built, full) && !existsSync(path.join(source, `${base}.ts`))) {
      rmSync(full);
      process.stdout.write(`prepack: removed stale ${path.relative(root, full)}\n`);
    }
  }
}

prune(built);
