// Compiles the TypeScript LWC sources to the .js files that get deployed (the same `tsc -p` as `npm run build:lwc`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OrgCommandError } from './errors';

export function lwcTsconfigPath(sourceDir: string): string {
  return path.join(sourceDir, 'main', 'default', 'lwc', 'tsconfig.json');
}

export interface LwcBuildResult {
  built: boolean;
  tsconfig: string;
}

export async function buildLwc(sourceDir: string): Promise<LwcBuildResult> {
  const tsconfig = lwcTsconfigPath(sourceDir);
  if (!existsSync(tsconfig)) return { built: false, tsconfig };
  // Run the project's own TypeScript compiler with the current Node, not whatever `tsc` is on PATH.
  const tsc = require.resolve('typescript/bin/tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { stdio: 'pipe' });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  if (code !== 0) {
    throw new OrgCommandError(
      'lwc_build_failed',
      `The TypeScript LWC did not compile (${tsconfig}); nothing was deployed.\n${output.trim()}`,
      'Fix the errors above (`npm run build:lwc` shows the same), then run the deploy again.',
    );
  }
  return { built: true, tsconfig };
}
