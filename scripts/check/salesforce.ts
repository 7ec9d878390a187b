// `npm run check:salesforce`: the offline Salesforce checks over every package directory in sfdx-project.json
// (force-app, legacy-chat, bootstrap), one line per check, exit 1 on any failure.
// Apex formatting (prettier-plugin-apex) is part of `npm run lint`, not repeated here.
import { join, resolve } from 'node:path';
import { checkApexSemantic } from './apexSemantic';
import { checkApexSyntax } from './apexSyntax';
import { checkApexTestPatterns } from './apexTestPatterns';
import { checkMetadataConversion } from './metadataConversion';
import { checkPmd } from './pmd';
import { resultOf, type CheckResult, type Problem } from './result';
import { packageDirectories, type PackageDirectory } from './sfdxProject';
import { checkXmlWellFormed } from './xmlWellFormed';

/** A result that may also list problems that do not fail it (apex-ls warnings). */
export type ReportedResult = CheckResult & { warnings?: Problem[] };

export async function runSalesforceChecks(root: string): Promise<ReportedResult[]> {
  const directories = packageDirectories(root);
  // apex-ls runs in its own JVM for a few seconds: started first, it overlaps with the checks below.
  const semantic = checkApexSemantic(root);
  const results: ReportedResult[] = [
    await overPackageDirectories(directories, checkApexSyntax),
    checkApexTestPatterns(root),
    await overPackageDirectories(directories, checkXmlWellFormed),
    await overPackageDirectories(directories, checkMetadataConversion),
    await overPackageDirectories(directories, (folder) => checkPmd(folder, { workFolder: resolve('.code-analyzer') })),
  ];
  return [results[0]!, await semantic, ...results.slice(1)];
}

/**
 * Runs a one-folder check on each package directory and merges the results into one, with files relative to the
 * project. A "found nothing to check" problem (code no_*, e.g. no_apex for bootstrap, which has no Apex) counts only
 * when every package directory reports it, so a wrong path still fails.
 */
export async function overPackageDirectories(
  directories: PackageDirectory[],
  check: (folder: string) => CheckResult | Promise<CheckResult>,
): Promise<CheckResult> {
  const results: Array<{ directory: PackageDirectory; result: CheckResult }> = [];
  for (const directory of directories) results.push({ directory, result: await check(directory.absolute) });
  const first = results[0]!.result;
  if (results.length === 1) return first;
  const emptyEverywhere = (code: string): boolean =>
    results.every(({ result }) => result.problems.some((problem) => problem.code === code));
  const problems = results.flatMap(({ directory, result }) =>
    result.problems
      .filter((problem) => !problem.code.startsWith('no_') || emptyEverywhere(problem.code))
      .map((problem) => ({ ...problem, file: problem.file ? join(directory.path, problem.file) : problem.file })),
  );
  const summary = results.map(({ directory, result }) => `${directory.path}: ${result.summary}`).join('; ');
  return resultOf(first.name, summary, problems);
}

function report(result: ReportedResult): void {
  console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}: ${result.summary}`);
  const where = (problem: Problem): string =>
    problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
  for (const problem of result.problems) console.log(`      [${problem.code}] ${where(problem)}${problem.message}`);
  for (const warning of result.warnings ?? []) {
    console.log(`      warn [${warning.code}] ${where(warning)}${warning.message}`);
  }
}

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? '.');
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
