// `npm run check:salesforce`: the offline Salesforce checks over force-app, one line per check, exit 1 on any failure.
// Apex formatting (prettier-plugin-apex) is part of `npm run lint`, not repeated here.
import { resolve } from 'node:path';
import { checkApexSyntax } from './apexSyntax';
import { checkMetadataConversion } from './metadataConversion';
import { checkPmd } from './pmd';
import type { CheckResult } from './result';
import { checkXmlWellFormed } from './xmlWellFormed';

export async function runSalesforceChecks(root: string): Promise<CheckResult[]> {
  return [
    checkApexSyntax(root),
    checkXmlWellFormed(root),
    await checkMetadataConversion(root),
    await checkPmd(root, { workFolder: resolve('.code-analyzer') }),
  ];
}

function report(result: CheckResult): void {
  console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}: ${result.summary}`);
  for (const problem of result.problems) {
    const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
    console.log(`      [${problem.code}] ${where}${problem.message}`);
  }
}

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? 'force-app');
  const started = Date.now();
  const results = await runSalesforceChecks(root);
  results.forEach(report);
  const failed = results.filter((result) => !result.ok).length;
  console.log(
    `${failed === 0 ? 'ok' : `${failed} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('check:salesforce could not run:', error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
