import { benchGoals, type GoalInput } from '../../../bench/lib/benchGoals';
import { verdict } from '../../../bench/lib/goals';

const rates: Record<string, number> = {
  'memory.fresh': 7000,
  'memory.reverify': 9000,
  'redis.fresh': 5000,
  'redis.reverify': 8000,
};
const p99s: Record<string, number> = { 'memory.half': 2, 'redis.half': 7.5 };

const input: GoalInput = {
  rate: (key) => rates[key],
  p99: (key) => p99s[key],
  limit: 10_000,
  helloPost: 10_000,
  readyMedianMs: 400,
  rss: { mb: 300, bindings: 1_000_000, verified: 100_000 },
  redisSkipped: null,
};

const byName = (goals: ReturnType<typeof benchGoals>) => new Map(goals.map((g) => [g.goal, g]));

describe('benchGoals', () => {
  const goals = byName(benchGoals(input));

  it('reads fresh tokens against the limit', () => {
    expect(verdict(goals.get('[memory] fresh tokens ÷ limit')!)).toBe('pass (+8 %)');
    expect(verdict(goals.get('[redis] fresh tokens ÷ limit')!)).toBe('MISS (−23 %)');
  });

  it('reads re-verification against the hello-world POST', () => {
    expect(goals.get('[memory] session re-verification ÷ hello-world POST')!.met).toBe(true);
    expect(goals.get('[redis] session re-verification ÷ hello-world POST')!.met).toBe(false);
  });

  it('holds p99 at half rate, RSS and ready time under their ceilings', () => {
    expect(goals.get('[memory] p99 at half of the maximum fresh rate')!.met).toBe(true);
    expect(verdict(goals.get('[redis] p99 at half of the maximum fresh rate')!)).toBe('MISS (−50 %)');
    expect(verdict(goals.get('RSS with 1 M live bindings after 100 k verifications')!)).toBe('MISS (−17 %)');
    expect(goals.get('ready: spawn → first 200 from /readyz (median)')!.met).toBe(true);
  });

  it('marks the Redis goals skipped, with the reason, when Redis did not run', () => {
    const skipped = benchGoals({
      ...input,
      rate: (key) => (key.startsWith('redis') ? undefined : rates[key]),
      p99: (key) => (key.startsWith('redis') ? undefined : p99s[key]),
      redisSkipped: 'redis://127.0.0.1:6379/15 did not answer',
    });
    const redis = skipped.filter((g) => g.goal.startsWith('[redis]'));
    expect(redis).toHaveLength(3);
    for (const goal of redis) expect(verdict(goal)).toBe('skipped: redis://127.0.0.1:6379/15 did not answer');
  });

  it('says so when the RSS was measured with fewer bindings or verifications than the goal names', () => {
    const small = benchGoals({ ...input, rss: { mb: 200, bindings: 1_000_000, verified: 10_000 } });
    expect(
      small.some((g) => g.goal === "RSS with 1,000,000 bindings after 10,000 verifications (fewer than the goal's)"),
    ).toBe(true);
  });
});
