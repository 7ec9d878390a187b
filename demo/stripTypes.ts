// Rollup plugin: TypeScript → JavaScript, types erased and nothing else changed, before the LWC compiler sees the code.
// The LWC compiler (Babel) does not read TypeScript, and the project's LWC sources are `.ts`; this does what
// `npm run build:lwc` does for deployment (target ESNext, standard decorators left for the LWC compiler).
import ts from 'typescript';
import type { Plugin } from 'rollup';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  experimentalDecorators: false,
  useDefineForClassFields: true,
  isolatedModules: true,
  sourceMap: true,
  inlineSources: true,
};

/** Rollup ids may carry a query (`?specifier=c/x` from the LWC plugin); the file name is what comes before it. */
export function fileOf(id: string): string {
  return id.split('?', 1)[0] ?? id;
}

export function stripTypes(): Plugin {
  return {
    name: 'prechat-guard-strip-types',
    transform(code, id) {
      const file = fileOf(id);
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return null;
      const output = ts.transpileModule(code, {
        compilerOptions: COMPILER_OPTIONS,
        fileName: file,
        reportDiagnostics: true,
      });
      const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) {
        this.error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, ' ')}`);
      }
      return { code: output.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: output.sourceMapText ?? null };
    },
  };
}
