// Builds the demo page: the project's LWC TypeScript sources from force-app and legacy-chat, compiled with the
// open-source LWC compiler (@lwc/rollup-plugin), with platform modules swapped for the demo's stand-ins
// (platform-stand-ins/). Output: app.js.
import { existsSync } from 'node:fs';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin, type RollupLog } from 'rollup';
import { fileOf, stripTypes } from './stripTypes';

export interface DemoBundle {
  outDir: string;
  file: string;
  durationMs: number;
  warnings: string[];
}

export interface BuildOptions {
  /** The repository root (default: found from this file). */
  root?: string;
  /** `development` keeps the LWC engine's checks and warnings; `production` is what a site serves. */
  mode?: 'development' | 'production';
}

/** Walks up from this file to the folder holding the project's package.json (works from source and from dist/). */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'force-app'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the prechat-guard project root above ${from}`);
    dir = parent;
  }
}

export function demoSourceDir(root: string = projectRoot()): string {
  return path.join(root, 'demo');
}

/** The legacy snippet settings file (a static resource), which the demo site serves to the legacy page as it is. */
export function snippetSettingsFile(root: string = projectRoot()): string {
  return path.join(root, 'legacy-chat', 'main', 'default', 'staticresources', 'PrechatGuardSnippetSettings.js');
}

/**
 * Platform module → demo stand-in; `c/*` → the project's own components (by LWC alias, so namespace/name are right).
 * In the org all `c/*` components share one namespace whatever package directory deploys them; so here.
 */
export function moduleMap(root: string): Record<string, string> {
  const standIns = path.join(demoSourceDir(root), 'platform-stand-ins');
  const component = (packageDirectory: string, name: string) =>
    path.join(root, packageDirectory, 'main', 'default', 'lwc', name, `${name}.ts`);
  return {
    'c/prechatGuardIdentity': component('force-app', 'prechatGuardIdentity'),
    'c/prechatGuardEnhancedChat': component('force-app', 'prechatGuardEnhancedChat'),
    'c/prechatGuardLegacyPrechat': component('legacy-chat', 'prechatGuardLegacyPrechat'),
    '@salesforce/apex/PrechatGuardIdentityController.getIdentity': path.join(standIns, 'apexGetIdentity.ts'),
    '@salesforce/user/isGuest': path.join(standIns, 'userIsGuest.ts'),
    'lightningsnapin/basePrechat': path.join(standIns, 'basePrechat.ts'),
  };
}

function modules(map: Record<string, string>): Plugin {
  return {
    name: 'prechat-guard-demo-modules',
    resolveId(source) {
      const target = map[source];
      if (target === undefined) return null;
      if (!existsSync(target)) this.error(`${source} → ${target}: file not found`);
      // `namespace/name` specifiers tell the LWC compiler the component's tag; the others are plain modules.
      return source.split('/').length === 2 ? `${target}?specifier=${encodeURIComponent(source)}` : target;
    },
  };
}

/** The LWC engine reads process.env.NODE_ENV; browsers have no `process`. */
function nodeEnv(mode: string): Plugin {
  return {
    name: 'prechat-guard-node-env',
    transform(code) {
      return code.includes('process.env.NODE_ENV')
        ? { code: code.replace(/process\.env\.NODE_ENV/g, JSON.stringify(mode)), map: null }
        : null;
    },
  };
}

export async function buildDemoBundle(outDir: string, options: BuildOptions = {}): Promise<DemoBundle> {
  const started = Date.now();
  const root = options.root ?? projectRoot();
  const mode = options.mode ?? 'development';
  const warnings: string[] = [];
  const bundle = await rollup({
    input: path.join(demoSourceDir(root), 'web', 'main.ts'),
    plugins: [
      modules(moduleMap(root)),
      stripTypes(),
      // The engine ships compiled: only the components, the stand-ins and the page go through the LWC compiler.
      lwc({ rootDir: root, sourcemap: true, exclude: [path.join(root, 'node_modules', '**')] }),
      nodeEnv(mode),
    ],
    onwarn(warning: RollupLog) {
      // Circular imports inside the LWC engine are the engine's own business.
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warnings.push(`${warning.code ?? 'WARN'}: ${warning.message}${warning.id ? ` (${fileOf(warning.id)})` : ''}`);
    },
  });
  const file = path.join(outDir, 'app.js');
  try {
    await bundle.write({ file, format: 'es', sourcemap: true });
  } finally {
    await bundle.close();
  }
  return { outDir, file, durationMs: Date.now() - started, warnings };
}
