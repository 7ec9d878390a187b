// Turns a Metadata API deploy status into tables a person can act on: failed components, failed tests, coverage.
import type { MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import type { Reporter } from './output';

/** Salesforce's deploy rule for RunSpecifiedTests in production: every deployed class needs this much coverage. */
export const COVERAGE_TARGET_PERCENT = 75;

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function componentFailureRows(status: MetadataApiDeployStatus): string[][] {
  return list(status.details?.componentFailures)
    .filter((failure) => failure.problemType !== 'Warning')
    .map((failure) => [
      failure.componentType ?? '',
      failure.fullName || failure.fileName,
      failure.lineNumber ? `${failure.lineNumber}${failure.columnNumber ? `:${failure.columnNumber}` : ''}` : '',
      (failure.problem ?? 'no problem text returned').replace(/\s+/g, ' '),
    ]);
}

export function testFailureRows(status: MetadataApiDeployStatus): string[][] {
  return list(status.details?.runTestResult?.failures).map((failure) => [
    `${failure.name}.${failure.methodName}`,
    `${failure.message}${failure.stackTrace ? ` (${failure.stackTrace.split('\n')[0]})` : ''}`.replace(/\s+/g, ' '),
  ]);
}

export interface CoverageRow {
  name: string;
  lines: number;
  uncovered: number;
  percent: number;
}

export function coverageRows(status: MetadataApiDeployStatus): CoverageRow[] {
  return list(status.details?.runTestResult?.codeCoverage)
    .map((entry) => {
      const lines = Number(entry.numLocations) || 0;
      const uncovered = Number(entry.numLocationsNotCovered) || 0;
      // A class with no executable lines counts as fully covered, as Salesforce reports it.
      const percent = lines === 0 ? 100 : Math.floor(((lines - uncovered) * 100) / lines);
      return { name: entry.name, lines, uncovered, percent };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function printDeployOutcome(report: Reporter, status: MetadataApiDeployStatus): void {
  const failures = componentFailureRows(status);
  if (failures.length > 0) {
    report.blank();
    report.info(`Component errors (${failures.length}):`);
    report.table(['TYPE', 'NAME', 'LINE', 'PROBLEM'], failures);
  }
  const warnings = list(status.details?.componentFailures).filter((failure) => failure.problemType === 'Warning');
  for (const warning of warnings)
    report.warn(`${warning.componentType ?? ''} ${warning.fullName}: ${warning.problem ?? ''}`);

  const testFailures = testFailureRows(status);
  if (testFailures.length > 0) {
    report.blank();
    report.info(`Apex test failures (${testFailures.length}):`);
    report.table(['TEST', 'MESSAGE'], testFailures);
  }
  const coverage = coverageRows(status);
  if (coverage.length > 0) {
    report.blank();
    report.info('Apex code coverage per class:');
    report.table(
      ['CLASS', 'LINES', 'UNCOVERED', 'COVERAGE'],
      coverage.map((row) => [
        row.name,
        String(row.lines),
        String(row.uncovered),
        `${row.percent}%${row.percent < COVERAGE_TARGET_PERCENT ? `  below ${COVERAGE_TARGET_PERCENT}%` : ''}`,
      ]),
    );
  }
  for (const warning of list(status.details?.runTestResult?.codeCoverageWarnings)) {
    report.warn(`Coverage: ${warning.message}`);
  }
  if (status.errorMessage) report.fail(`The org reported: ${status.errorMessage}`);
}
