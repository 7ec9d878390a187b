// Recursive file listing shared by the checks (sorted, so output and tests are stable).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function listFiles(root: string, accept: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && accept(entry.name)) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}
