// The spawned-process tests run the compiled service (as a user does). Build it when dist is missing or older than
// any source file of the service.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
export const MAIN_JS = path.join(ROOT, 'dist/server/src/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function ensureServiceBuilt(): string {
  if (!existsSync(MAIN_JS) || statSync(MAIN_JS).mtimeMs < newestMtime(path.join(ROOT, 'server/src'))) {
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch (error) {
      // tsc still emits on type errors elsewhere in the build; only a missing entry point stops us.
      if (!existsSync(MAIN_JS)) throw error;
    }
  }
  return MAIN_JS;
}
