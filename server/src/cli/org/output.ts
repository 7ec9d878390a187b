// Human-facing output: progress lines, results, warnings and plain-text tables. Streams are injected for tests.

export interface OutputSink {
  write(text: string): unknown;
}

export class Reporter {
  private warnings = 0;

  constructor(
    private readonly out: OutputSink,
    private readonly err: OutputSink,
  ) {}

  /** What is happening now. */
  step(message: string): void {
    this.out.write(`→ ${message}\n`);
  }

  info(message: string): void {
    this.out.write(`${message}\n`);
  }

  ok(message: string): void {
    this.out.write(`✔ ${message}\n`);
  }

  warn(message: string): void {
    this.warnings += 1;
    this.err.write(`⚠ ${message}\n`);
  }

  /** What failed, and (on its own line) what to do next. */
  fail(message: string, fix?: string): void {
    this.err.write(`✖ ${message}\n`);
    if (fix) this.err.write(`  Next: ${fix}\n`);
  }

  blank(): void {
    this.out.write('\n');
  }

  table(headers: string[], rows: string[][]): void {
    this.out.write(renderTable(headers, rows));
  }

  get warningCount(): number {
    return this.warnings;
  }
}

/** Column-aligned table; the last column is not padded so long messages flow instead of being cut. */
export function renderTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd() + '\n';
  // The last column can be a long sentence; its rule stops at a readable width.
  const rule =
    widths.map((width, column) => '─'.repeat(column === widths.length - 1 ? Math.min(width, 40) : width)).join('  ') +
    '\n';
  return line(headers) + rule + rows.map(line).join('');
}
