// Runs one load phase against one server, in a child process on the load generator's core: wrk when it is installed
// (one thread, a generated Lua script), autocannon otherwise; constant-rate phases always use the paced Node client.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseChildResult, type LoadChildOptions } from './loadChildProtocol';
import { pinnedCommand, type Pinning } from './pinning';
import { parseWrkOutput, wrkScript, type RunResult } from './wrkScript';

export interface Generator {
  kind: 'wrk' | 'autocannon';
  /** e.g. "wrk debian/4.1.0-3+b2", or "autocannon 8.0.0 (wrk is not installed)" */
  description: string;
}

export function detectGenerator(): Generator {
  const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (!wrk.error) {
    const version = /^wrk (\S+)/m.exec(`${wrk.stdout}${wrk.stderr}`)?.[1] ?? 'unknown version';
    return { kind: 'wrk', description: `wrk ${version}, 1 thread` };
  }
  const { version } = JSON.parse(readFileSync(require.resolve('autocannon/package.json'), 'utf8')) as {
    version: string;
  };
  return { kind: 'autocannon', description: `autocannon ${version} in a child process (wrk is not installed)` };
}

/** What one load phase needs: the same options a load-generator child gets on its command line. */
export type PhaseOptions = LoadChildOptions;

export interface LoadContext {
  generator: Generator;
  pinning: Pinning;
  /** A folder for generated scripts. */
  workDir: string;
  /** dist/bench/lib, where the compiled child scripts are. */
  libDir: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${path.basename(command)} ${args.slice(0, 4).join(' ')} …: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const scripts = new Map<string, string>();

function scriptFor(context: LoadContext, options: PhaseOptions): string {
  const text = wrkScript({ path: options.path, headers: options.headers, body: options.body });
  let file = scripts.get(text);
  if (!file) {
    file = path.join(context.workDir, `load-${scripts.size + 1}.lua`);
    writeFileSync(file, text);
    scripts.set(text, file);
  }
  return file;
}

export async function runPhase(
  context: LoadContext,
  options: PhaseOptions,
): Promise<RunResult & { offeredRate?: number; lateSends?: number }> {
  const timeoutMs = (options.durationS + 60) * 1000;
  const childOptions: LoadChildOptions = { ...options };
  if (options.rate !== undefined) {
    const [command, args] = pinnedCommand(context.pinning, 'load', process.execPath, [
      path.join(context.libDir, 'pacedChild.js'),
      JSON.stringify(childOptions),
    ]);
    return parseChildResult(await run(command, args, timeoutMs));
  }
  if (context.generator.kind === 'wrk') {
    const [command, args] = pinnedCommand(context.pinning, 'load', 'wrk', [
      '-t1',
      `-c${options.connections}`,
      `-d${options.durationS}s`,
      '--timeout',
      '10s',
      '-s',
      scriptFor(context, options),
      `http://127.0.0.1:${options.port}${options.path}`,
      '--',
      options.file,
    ]);
    return parseWrkOutput(await run(command, args, timeoutMs));
  }
  const [command, args] = pinnedCommand(context.pinning, 'load', process.execPath, [
    path.join(context.libDir, 'autocannonChild.js'),
    JSON.stringify(childOptions),
  ]);
  return parseChildResult(await run(command, args, timeoutMs));
}
