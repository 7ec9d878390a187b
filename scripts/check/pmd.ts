// PMD's Apex rules (security and best practices) through Salesforce Code Analyzer used as a library. PMD ships inside
// @salesforce/code-analyzer-pmd-engine and runs on the machine's Java (17+). Violations of severity Critical (1) or
// High (2) fail the check; lower severities are reported but do not fail it.
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, SeverityLevel } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { resultOf, type CheckResult, type Problem } from './result';

// Apex rules only: force-app also holds LWC JavaScript and test mocks, which ESLint covers.
export const PMD_RULE_SELECTORS = ['pmd:Security:Apex', 'pmd:BestPractices:Apex'];

export interface PmdOptions {
  /** Git-ignored folder for Code Analyzer's logs and working files; it must exist before the run. */
  workFolder?: string;
  /** Highest severity number that fails the check: 2 = Critical and High. */
  failAtOrAbove?: SeverityLevel;
}

export interface PmdFinding extends Problem {
  rule: string;
  severity: SeverityLevel;
}

export async function runPmd(root: string, options: PmdOptions = {}): Promise<PmdFinding[]> {
  const workFolder = resolve(options.workFolder ?? '.code-analyzer');
  const logFolder = join(workFolder, 'logs');
  mkdirSync(logFolder, { recursive: true });
  const config = CodeAnalyzerConfig.fromObject(
    {
      log_folder: logFolder,
      root_working_folder: workFolder,
      // CPD (copy-paste detection) is a second engine in the same plugin; it is not part of this check.
      engines: { cpd: { disable_engine: true } },
    },
    workFolder,
  );
  const analyzer = new CodeAnalyzer(config);
  await analyzer.addEnginePlugin(createEnginePlugin());
  const workspace = await analyzer.createWorkspace([resolve(root)]);
  const rules = await analyzer.selectRules(PMD_RULE_SELECTORS, { workspace });
  const results = await analyzer.run(rules, { workspace });
  return results.getViolations().map((violation) => {
    const location = violation.getPrimaryLocation();
    const file = location.getFile();
    return {
      code: 'pmd_violation',
      rule: violation.getRule().getName(),
      severity: violation.getRule().getSeverityLevel(),
      file: file ? relative(resolve(root), file) : undefined,
      line: location.getStartLine(),
      message: `${violation.getRule().getName()} (severity ${violation.getRule().getSeverityLevel()}): ${violation.getMessage()}`,
    };
  });
}

export async function checkPmd(root: string, options: PmdOptions = {}): Promise<CheckResult> {
  const failAt = options.failAtOrAbove ?? SeverityLevel.High;
  const findings = await runPmd(root, options);
  const failing = findings.filter((finding) => finding.severity <= failAt);
  // Lower severities do not fail the check, but are counted by rule so they stay visible.
  const lowerByRule = new Map<string, number>();
  for (const finding of findings) {
    if (finding.severity > failAt) lowerByRule.set(finding.rule, (lowerByRule.get(finding.rule) ?? 0) + 1);
  }
  const lower = [...lowerByRule].map(([rule, count]) => `${rule} x${count}`).join(', ');
  return resultOf(
    'pmd (apex security + best practices)',
    `${failing.length} violations at severity ${failAt} or above; below: ${lower || 'none'}`,
    failing,
  );
}
