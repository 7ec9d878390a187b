// The package directories the checks run over. The project is split into several (force-app, legacy-chat, bootstrap),
// and a check given only force-app would miss the others, so every check starts from sfdx-project.json. A folder
// without sfdx-project.json (a test fixture, or one package directory given on its own) is one package directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';

export interface PackageDirectory {
  /** Path relative to the checked root as sfdx-project.json spells it; '' when the root is the package directory. */
  path: string;
  absolute: string;
}

export function packageDirectories(root: string): PackageDirectory[] {
  const projectFile = join(root, 'sfdx-project.json');
  if (!existsSync(projectFile)) return [{ path: '', absolute: resolve(root) }];
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { packageDirectories?: Array<{ path?: unknown }> };
  const listed = (project.packageDirectories ?? []).map((entry) => entry.path);
  if (listed.length === 0) throw new Error(`${projectFile} lists no packageDirectories.`);
  return listed.map((path) => {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new Error(`${projectFile}: every packageDirectories entry needs a "path".`);
    }
    const relativePath = normalize(path).replace(/[\\/]+$/, '');
    const absolute = resolve(root, relativePath);
    // A listed folder that does not exist would otherwise be checked as "nothing to check" and pass.
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
      throw new Error(`${projectFile} lists package directory "${path}", which is not a folder.`);
    }
    return { path: relativePath, absolute };
  });
}
