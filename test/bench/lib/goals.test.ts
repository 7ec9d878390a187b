import { atLeast, atMost, skipped, verdict } from '../../../bench/lib/goals';

describe('atLeast', () => {
  it('passes at or above the target and says by how much', () => {
    const goal = atLeast('fresh vs limit', 0.72, 0.65, '× limit');
    expect(goal.met).toBe(true);
    expect(goal.margin).toBeCloseTo(0.108, 3);
    expect(verdict(goal)).toBe('pass (+11 %)');
    expect(atLeast('exact', 0.65, 0.65, '×').met).toBe(true);
  });

  it('misses below the target and says how far short', () => {
    const goal = atLeast('fresh vs limit', 0.52, 0.65, '× limit');
    expect(goal.met).toBe(false);
    expect(goal.margin).toBeCloseTo(-0.2, 3);
    expect(verdict(goal)).toBe('MISS (−20 %)');
    expect(goal.target).toBe('≥ 0.65 × limit');
    expect(goal.measured).toBe('0.52 × limit');
  });

  it('refuses a target that is not positive', () => {
    expect(() => atLeast('x', 1, 0, '×')).toThrow('target must be positive');
  });
});

describe('atMost', () => {
  it('passes at or under the ceiling', () => {
    const goal = atMost('p99 at half rate', 3, 5, 'ms');
    expect(goal.met).toBe(true);
    expect(verdict(goal)).toBe('pass (+40 %)');
  });

  it('misses over the ceiling and says by how much it is over', () => {
    const goal = atMost('RSS', 384, 256, 'MB');
    expect(goal.met).toBe(false);
    expect(verdict(goal)).toBe('MISS (−50 %)');
  });
});

describe('skipped', () => {
  it('is neither met nor counted as a figure, and says why', () => {
    const goal = skipped('[redis] fresh', '≥ 0.65 × limit', 'Redis did not answer');
    expect(goal.met).toBe(false);
    expect(verdict(goal)).toBe('skipped: Redis did not answer');
  });
});
