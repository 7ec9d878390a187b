// Counts the service's verification log lines as they stream by, by binding state (new, same-session, none) or
// "invalid", without keeping them: proof that every request was logged at info level and took the intended path.

export class VerificationLogCounter {
  readonly counts: Record<string, number> = {};
  private partial = '';

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.count(line);
  }

  /** Counts a last line that had no newline. */
  end(): Record<string, number> {
    if (this.partial) this.count(this.partial);
    this.partial = '';
    return this.counts;
  }

  private count(line: string): void {
    if (!line.includes('"msg":"verification"')) return;
    const state = line.includes('"outcome":"invalid"')
      ? 'invalid'
      : (/"binding":"([^"]+)"/.exec(line)?.[1] ?? 'unknown');
    this.counts[state] = (this.counts[state] ?? 0) + 1;
  }
}
