// Replay race (issue 7): two service instances share one Redis (REDIS_URL, default redis://127.0.0.1:6379). In each
// trial many concurrent requests present one token under two session keys across both instances: exactly one key is
// ever accepted, every request with the other key answers `replayed`, and exactly one request creates the binding.
import {
  createTrust,
  startService,
  validToken,
  REDIS_URL,
  type TestService,
  type TrustFixture,
} from './support/service';
import { describeWithSharedRedis } from '../support/sharedRedis';

const TRIALS = 120;
const REQUESTS_PER_TRIAL = 16;

const withRedis = describeWithSharedRedis('The replay race suite (test/hardening/replayRace.test.ts)');

withRedis('replay race on a shared Redis', () => {
  let trust: TrustFixture;
  let instances: [TestService, TestService];

  beforeAll(async () => {
    trust = createTrust();
    const env = { REDIS_URL, PRECHAT_GUARD_SESSION_TTL_S: '900' };
    instances = [await startService(trust.dir, { env }), await startService(trust.dir, { env })];
    // Both must reach Redis before the race starts (a 503 would not be a race outcome).
    await Promise.all(instances.map((instance) => instance.ready()));
  });

  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    trust?.remove();
  });

  test(`one token, two session keys, two instances: exactly one key wins in each of ${TRIALS} trials`, async () => {
    const winsByKey = { A: 0, B: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const token = validToken(trust.key, Math.floor(Date.now() / 1000)).token;
      const sessionKeys = { A: `0Mw-race-${trial}-A`, B: `0Mw-race-${trial}-B` };
      const requests = Array.from({ length: REQUESTS_PER_TRIAL }, (_, n) => {
        // alternate instance on bit 0 and session key on bit 1, so both keys hit both instances; rotate the start per
        // trial so that neither key nor instance is always first out of the gate
        const i = n + trial;
        const instance = instances[i % 2]!;
        const which = (i >> 1) % 2 === 0 ? ('A' as const) : ('B' as const);
        return instance.verify({ token, sessionKey: sessionKeys[which] }).then((answer) => ({ which, ...answer }));
      });
      const answers = await Promise.all(requests);

      expect(answers.every((a) => a.status === 200)).toBe(true);
      const accepted = new Set(answers.filter((a) => a.json.valid === true).map((a) => a.which));
      expect(accepted.size).toBe(1);
      const winner = [...accepted][0]!;
      winsByKey[winner] += 1;
      for (const answer of answers) {
        if (answer.which === winner) expect(answer.json).toMatchObject({ valid: true });
        else expect(answer.json).toMatchObject({ valid: false, reason: 'replayed' });
      }
      expect(answers.filter((a) => a.json.binding === 'new')).toHaveLength(1);
    }
    // Both keys win some trials: the outcome is decided by the race, not fixed by the test's order.
    expect(winsByKey.A).toBeGreaterThan(0);
    expect(winsByKey.B).toBeGreaterThan(0);
  });
});
