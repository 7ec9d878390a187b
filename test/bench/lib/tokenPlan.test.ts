import { checkWrap, planSlices, poolSize, splitSlice, tokensForPhase } from '../../../bench/lib/tokenPlan';

const phases = [
  { name: 'warm-up', seconds: 3 },
  { name: 'round 1', seconds: 8 },
  { name: 'round 2', seconds: 8 },
  { name: 'round 3', seconds: 8 },
];

describe('planSlices', () => {
  it('gives every phase its own slice, sized for the maximum rate with headroom', () => {
    const slices = planSlices({ phases, maxRate: 1000, headroom: 0.25, connections: 10 });
    expect(slices.map((s) => s.count)).toEqual([3760, 10_010, 10_010, 10_010]);
    expect(slices.map((s) => s.name)).toEqual(['warm-up', 'round 1', 'round 2', 'round 3']);
  });

  it('never lets two slices share a token', () => {
    const slices = planSlices({ phases, maxRate: 777, headroom: 0.1, connections: 10 });
    const seen = new Set<number>();
    let assigned = 0;
    for (const slice of slices) {
      for (let i = slice.start; i < slice.start + slice.count; i++) seen.add(i);
      assigned += slice.count;
    }
    expect(seen.size).toBe(assigned);
    expect(poolSize(slices)).toBe(seen.size);
  });

  it('refuses two phases of the same name and phases without time', () => {
    expect(() => planSlices({ phases: [phases[0]!, phases[0]!], maxRate: 10, headroom: 0, connections: 1 })).toThrow(
      'two phases are named "warm-up"',
    );
    expect(() => tokensForPhase(0, { maxRate: 10, headroom: 0, connections: 1 })).toThrow('positive time');
    expect(() => tokensForPhase(1, { maxRate: 0, headroom: 0, connections: 1 })).toThrow('maximum rate');
    expect(() => tokensForPhase(1, { maxRate: 10, headroom: -0.5, connections: 1 })).toThrow('headroom');
  });
});

describe('splitSlice', () => {
  it('cuts a slice into disjoint parts that cover it exactly', () => {
    const parts = splitSlice({ name: 'round 1', start: 100, count: 11 }, 2);
    expect(parts).toEqual([
      { name: 'round 1#1', start: 100, count: 5 },
      { name: 'round 1#2', start: 105, count: 6 },
    ]);
  });

  it('refuses more parts than tokens, and fractional parts', () => {
    expect(() => splitSlice({ name: 'x', start: 0, count: 1 }, 2)).toThrow('fewer than 2 parts');
    expect(() => splitSlice({ name: 'x', start: 0, count: 10 }, 1.5)).toThrow('cannot split');
  });
});

describe('checkWrap', () => {
  it('reports a run that sent more requests than its slice had tokens as wrapped', () => {
    expect(checkWrap(10_500, 10_010)).toEqual({ sent: 10_500, available: 10_010, wrapped: true, repeated: 490 });
  });

  it('reports a run that stayed inside its slice as not wrapped', () => {
    expect(checkWrap(10_010, 10_010).wrapped).toBe(false);
    expect(checkWrap(0, 5).wrapped).toBe(false);
  });

  it('refuses counts that are not counts', () => {
    expect(() => checkWrap(-1, 5)).toThrow('requests sent');
    expect(() => checkWrap(1.5, 5)).toThrow('requests sent');
    expect(() => checkWrap(1, 0)).toThrow('tokens available');
  });
});
