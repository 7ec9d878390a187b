// Apex syntax: every .cls parses with @apexdevtools/apex-parser. The package's own check() reports success despite
// errors (toolchain-facts.md), so an error listener on both lexer and parser counts them here.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { listFiles } from './files';
import { resultOf, type CheckResult, type Problem } from './result';

class CollectingListener extends ApexErrorListener {
  readonly errors: Array<{ line: number; column: number; message: string }> = [];

  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column, message });
  }
}

/** Syntax errors in one Apex class source (empty when it parses). */
export function apexSyntaxErrors(source: string): Array<{ line: number; column: number; message: string }> {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  parser.compilationUnit();
  return listener.errors;
}

export function checkApexSyntax(root: string): CheckResult {
  const files = listFiles(root, (name) => name.endsWith('.cls'));
  const problems: Problem[] = [];
  for (const file of files) {
    for (const error of apexSyntaxErrors(readFileSync(file, 'utf8'))) {
      problems.push({
        code: 'apex_syntax',
        file: relative(root, file),
        line: error.line,
        message: `column ${error.column}: ${error.message}`,
      });
    }
  }
  if (files.length === 0) problems.push({ code: 'no_apex', message: `No .cls files found under ${root}.` });
  return resultOf('apex syntax', `${files.length} classes parsed`, problems);
}
