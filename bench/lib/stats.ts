// Statistics of repeated rounds: the median (the figure reported) and the spread (how far the rounds disagree), so a
// reader can tell a real difference from noise.

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max − min) ÷ median: 0.1 means the rounds spread over 10 % of the reported figure. */
  relativeSpread: number;
  samples: number;
}

/** The median; for an even count the mean of the two middle values. Refuses an empty list or a non-finite value. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  if (values.some((value) => !Number.isFinite(value))) throw new Error('median of a non-finite value');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, relativeSpread: m === 0 ? 0 : (max - min) / m, samples: values.length };
}

/** "12,345 (11,900–12,800, ±4 %)": the median with the range of the rounds and half the relative spread. */
export function formatSummary(summary: Summary, digits = 0): string {
  const n = (value: number) => value.toLocaleString('en', { maximumFractionDigits: digits });
  if (summary.samples === 1) return n(summary.median);
  return `${n(summary.median)} (${n(summary.min)}–${n(summary.max)}, ±${Math.round((summary.relativeSpread / 2) * 100)} %)`;
}
