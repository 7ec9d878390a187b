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
import { expectOneWinner, raceOneToken } from '../support/replay';

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
      const answers = await raceOneToken(instances, token, (which) => sessionKeys[which], REQUESTS_PER_TRIAL, trial);
      winsByKey[expectOneWinner(answers)] += 1;
    }
    // Both keys win some trials: the outcome is decided by the race, not fixed by the test's order.
    expect(winsByKey.A).toBeGreaterThan(0);
    expect(winsByKey.B).toBeGreaterThan(0);
  });
});
