// Shared assertions of the binding contract (docs/architecture.md §5) for the suites that exercise it against real
// stores: a replay race has exactly one winning session key, and a bound token holds for its own key only.
import type { TestService } from '../hardening/support/service';

type Instance = Pick<TestService, 'verify'>;
type Answer = { which: 'A' | 'B'; status: number; json: Record<string, unknown> };

/**
 * One trial of the race: `count` concurrent requests present `token` under the session keys of A and B, alternating
 * the instance on bit 0 and the key on bit 1 (both keys hit both instances), rotated by `trial` so neither key nor
 * instance is always first out of the gate.
 */
export async function raceOneToken(
  instances: readonly Instance[],
  token: string,
  sessionKeyOf: (which: 'A' | 'B') => string,
  count: number,
  trial: number,
): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, n) => {
      const i = n + trial;
      const which = (i >> 1) % 2 === 0 ? ('A' as const) : ('B' as const);
      const instance = instances[i % instances.length]!;
      return instance.verify({ token, sessionKey: sessionKeyOf(which) }).then((answer) => ({ which, ...answer }));
    }),
  );
}

/** Every answer is 200, exactly one key is accepted, every other request is replayed, one binding is new. */
export function expectOneWinner(answers: readonly Answer[]): 'A' | 'B' {
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const accepted = new Set(answers.filter((a) => a.json.valid === true).map((a) => a.which));
  expect(accepted.size).toBe(1);
  const winner = [...accepted][0]!;
  for (const answer of answers) {
    if (answer.which === winner) expect(answer.json).toMatchObject({ valid: true });
    else expect(answer.json).toMatchObject({ valid: false, reason: 'replayed' });
  }
  expect(answers.filter((a) => a.json.binding === 'new')).toHaveLength(1);
  return winner;
}

/** The token is bound to `sessionKey`: valid there (same-session), replayed under `otherKey`. */
export async function expectBoundTo(
  service: Instance,
  token: string,
  sessionKey: string,
  otherKey = `${sessionKey}-thief`,
): Promise<void> {
  expect((await service.verify({ token, sessionKey })).json).toMatchObject({ valid: true, binding: 'same-session' });
  expect((await service.verify({ token, sessionKey: otherKey })).json).toMatchObject({
    valid: false,
    reason: 'replayed',
  });
}
