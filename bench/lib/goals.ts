// Goal verdicts: met or missed, and by how much, so a reader sees at once how far a figure is from its goal.

export interface Goal {
  goal: string;
  /** e.g. "≥ 0.65 × limit", "≤ 5 ms" */
  target: string;
  measured: string;
  met: boolean;
  /** Distance from the target as a fraction of it: +0.12 = 12 % better than needed, −0.3 = 30 % short (or over). */
  margin: number;
  /** The figure was not measured (e.g. Redis skipped): neither met nor missed. */
  skipped?: string;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A floor: measured ≥ target. */
export function atLeast(goal: string, measured: number, target: number, unit: string): Goal {
  if (!(target > 0)) throw new Error(`goal "${goal}": the target must be positive, got ${target}`);
  return {
    goal,
    target: `≥ ${round(target)} ${unit}`.trim(),
    measured: `${round(measured)} ${unit}`.trim(),
    met: measured >= target,
    margin: round(measured / target - 1, 3),
  };
}

/** A ceiling: measured ≤ target. */
export function atMost(goal: string, measured: number, target: number, unit: string): Goal {
  if (!(target > 0)) throw new Error(`goal "${goal}": the target must be positive, got ${target}`);
  return {
    goal,
    target: `≤ ${round(target)} ${unit}`.trim(),
    measured: `${round(measured)} ${unit}`.trim(),
    met: measured <= target,
    margin: round(1 - measured / target, 3),
  };
}

export function skipped(goal: string, target: string, why: string): Goal {
  return { goal, target, measured: '–', met: false, margin: 0, skipped: why };
}

/** "pass (+12 %)", "MISS (−30 %)", "skipped: <why>". */
export function verdict(goal: Goal): string {
  if (goal.skipped) return `skipped: ${goal.skipped}`;
  const percent = Math.round(goal.margin * 100);
  const signed = percent >= 0 ? `+${percent} %` : `−${-percent} %`;
  return goal.met ? `pass (${signed})` : `MISS (${signed})`;
}
