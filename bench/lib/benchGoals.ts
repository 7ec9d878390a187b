// The goals of the service, read against figures from the same run: fresh tokens against the limit, session
// re-verification against the hello-world POST, p99 at half of the maximum rate, memory and start-up.
import { atLeast, atMost, skipped, type Goal } from './goals';

export const GOALS = {
  freshShareOfLimit: 0.65,
  reverifyShareOfHelloPost: 0.85,
  p99AtHalfRateMs: 5,
  rssMb: 256,
  readyS: 0.5,
} as const;

export interface GoalInput {
  /** Median req/s (or p99 ms for the half-rate cases) by case key: memory.fresh, redis.reverify, memory.half, … */
  rate: (key: string) => number | undefined;
  p99: (key: string) => number | undefined;
  limit: number;
  helloPost: number;
  readyMedianMs: number;
  rss?: { mb: number; bindings: number; verified: number };
  /** Why the Redis cases did not run, when they did not. */
  redisSkipped: string | null;
}

export function benchGoals(input: GoalInput): Goal[] {
  const goals: Goal[] = [];
  for (const store of ['memory', 'redis'] as const) {
    const fresh = input.rate(`${store}.fresh`);
    const reverify = input.rate(`${store}.reverify`);
    const p99 = input.p99(`${store}.half`);
    const why = store === 'redis' && input.redisSkipped ? input.redisSkipped : 'not measured';
    const freshGoal = `[${store}] fresh tokens ÷ limit`;
    const freshTarget = `≥ ${GOALS.freshShareOfLimit} × limit`;
    goals.push(
      fresh === undefined
        ? skipped(freshGoal, freshTarget, why)
        : atLeast(freshGoal, fresh / input.limit, GOALS.freshShareOfLimit, '× limit'),
    );
    const reverifyGoal = `[${store}] session re-verification ÷ hello-world POST`;
    goals.push(
      reverify === undefined
        ? skipped(reverifyGoal, `≥ ${GOALS.reverifyShareOfHelloPost} ×`, why)
        : atLeast(reverifyGoal, reverify / input.helloPost, GOALS.reverifyShareOfHelloPost, '×'),
    );
    const p99Goal = `[${store}] p99 at half of the maximum fresh rate`;
    goals.push(
      p99 === undefined
        ? skipped(p99Goal, `≤ ${GOALS.p99AtHalfRateMs} ms`, why)
        : atMost(p99Goal, p99, GOALS.p99AtHalfRateMs, 'ms'),
    );
  }
  const rssGoal = 'RSS with 1 M live bindings after 100 k verifications';
  if (!input.rss) goals.push(skipped(rssGoal, `≤ ${GOALS.rssMb} MB`, 'not measured'));
  else {
    const goal = atMost(rssGoal, input.rss.mb, GOALS.rssMb, 'MB');
    if (input.rss.bindings < 1_000_000 || input.rss.verified < 100_000) {
      goal.goal = `RSS with ${input.rss.bindings.toLocaleString('en')} bindings after ${input.rss.verified.toLocaleString('en')} verifications (fewer than the goal's)`;
    }
    goals.push(goal);
  }
  goals.push(atMost('ready: spawn → first 200 from /readyz (median)', input.readyMedianMs / 1000, GOALS.readyS, 's'));
  return goals;
}
