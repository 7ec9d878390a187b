// Redis faults under load (issue 7): a private redis-server is stopped or stalled while requests run. Every request
// sent while the store is down must answer 503 (never valid: true), /readyz must say not ready, and once the store is
// back the same service instance verifies again without a restart.
import type { SigningKey } from '../../bench/lib/keys';
import { createTrust, startService, validToken, type TestService, type TrustFixture } from './support/service';
import { startPrivateRedis, type PrivateRedis } from './support/redis';
import { eventually, sleep, startLoad, type Sample } from './support/load';

jest.setTimeout(30_000);

interface Answer {
  status: number;
  valid: boolean;
  error?: string;
}

let trust: TrustFixture;
let redis: PrivateRedis;
let service: TestService;

beforeAll(async () => {
  trust = createTrust();
  redis = await startPrivateRedis();
  service = await startService(trust.dir, { env: { REDIS_URL: redis.url, PRECHAT_GUARD_SESSION_TTL_S: '900' } });
  await service.ready();
});

afterAll(async () => {
  await service?.close();
  await redis?.stop();
  trust?.remove();
});

/** Fresh tokens with a new session key, and re-verifications of tokens bound earlier (the bot calling again). */
function verifyTask(key: SigningKey, label: string) {
  const bound: Array<{ token: string; sessionKey: string }> = [];
  return async (n: number): Promise<Answer> => {
    const again = n % 3 === 0 && bound.length > 0 ? bound[n % bound.length]! : null;
    const body = again ?? { token: validToken(key, Math.floor(Date.now() / 1000)).token, sessionKey: `${label}-${n}` };
    const { status, json } = await service.verify(body);
    if (status === 200 && json.valid === true && !again) bound.push(body);
    return { status, valid: json.valid === true, error: json.error as string | undefined };
  };
}

async function ready(): Promise<number> {
  return (await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
}

function summary(samples: Array<Sample<Answer>>, phase: string) {
  const mine = samples.filter((s) => s.phase === phase).map((s) => s.result);
  return {
    total: mine.length,
    valid: mine.filter((a) => a.valid).length,
    notStore503: mine.filter((a) => a.status !== 503 || a.error !== 'store_unavailable').length,
  };
}

async function recovers(): Promise<boolean> {
  return eventually(async () => {
    const { json } = await service.verify({
      token: validToken(trust.key, Math.floor(Date.now() / 1000)).token,
      sessionKey: 'probe' + Math.random(),
    });
    return json.valid === true && (await ready()) === 200;
  }, 10_000);
}

describe('binding store faults under load', () => {
  test('Redis stops: only 503 and not ready; it comes back: the service recovers without restart', async () => {
    const load = startLoad(8, verifyTask(trust.key, 'stop'), 'up');
    await sleep(300);
    await redis.stop();
    load.setPhase('down');
    await sleep(1200);
    expect(await ready()).toBe(503);
    const samples = await load.stop(); // nothing sent while down may see Redis come back
    await redis.start();
    expect(await recovers()).toBe(true);

    const up = summary(samples, 'up');
    const down = summary(samples, 'down');
    expect(up.valid).toBeGreaterThan(0);
    expect(down.total).toBeGreaterThan(20);
    expect(down).toEqual({ total: down.total, valid: 0, notStore503: 0 });
  });

  test('Redis stalls (SIGSTOP): only 503 and not ready; it resumes: the service recovers', async () => {
    const load = startLoad(8, verifyTask(trust.key, 'stall'), 'up');
    await sleep(300);
    redis.stall();
    load.setPhase('stalled');
    await sleep(1500);
    expect(await ready()).toBe(503);
    // Every request sent during the stall must time out (503) before the store may answer again.
    const samples = await load.stop();
    redis.resume();
    expect(await recovers()).toBe(true);

    const stalled = summary(samples, 'stalled');
    expect(summary(samples, 'up').valid).toBeGreaterThan(0);
    expect(stalled.total).toBeGreaterThan(8);
    expect(stalled).toEqual({ total: stalled.total, valid: 0, notStore503: 0 });
  });
});
