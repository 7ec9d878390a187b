// Key rotation under load (issue 7): certificate files are added to and removed from the watched trust folder while
// requests run. Tokens whose key is trusted at that moment never fail; after the old kid is gone its tokens answer
// `unknown_key`. "Trusted at that moment" is read from the service itself: the JWKS it publishes.
import { createSigningKey, removeCertificate, writeCertificate, type SigningKey } from '../../bench/lib/keys';
import { createTrust, startService, validToken, type TestService, type TrustFixture } from './support/service';
import { eventually, sleep, startLoad } from './support/load';

jest.setTimeout(30_000);

let trust: TrustFixture;
let service: TestService;
let oldKey: SigningKey;
let newKey: SigningKey;

beforeAll(async () => {
  trust = createTrust('rotation-1');
  oldKey = trust.key;
  newKey = createSigningKey('rotation-2');
  service = await startService(trust.dir, { watch: true });
});

afterAll(async () => {
  await service.close();
  trust.remove();
});

async function publishedKids(): Promise<string[]> {
  const response = await service.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  return (response.json() as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid).sort();
}

test('add a kid, move signing to it, remove the old kid, all under load', async () => {
  const nowS = Math.floor(Date.now() / 1000);
  // Small pools, reused: repeated tokens also exercise the verified-token cache across trust-store reloads.
  const pools = new Map<string, string[]>([
    [oldKey.kid, Array.from({ length: 40 }, () => validToken(oldKey, nowS).token)],
    [newKey.kid, Array.from({ length: 40 }, () => validToken(newKey, nowS).token)],
  ]);
  let phase = 'old-only';
  const kidFor = (n: number): string => {
    if (phase === 'old-only') return oldKey.kid;
    // After the new key is trusted, signing moves to it; some old tokens (issued before the move) still arrive.
    return n % 4 === 0 ? oldKey.kid : newKey.kid;
  };
  const load = startLoad(
    6,
    async (n) => {
      const kid = kidFor(n);
      const token = pools.get(kid)![n % 40]!;
      const { status, json } = await service.verify({ token });
      return { kid, status, valid: json.valid === true, reason: json.reason as string | undefined };
    },
    phase,
  );
  const enter = (next: string) => {
    phase = next;
    load.setPhase(next);
  };

  await sleep(300);
  writeCertificate(trust.dir, newKey);
  expect(await eventually(async () => (await publishedKids()).includes(newKey.kid), 5000)).toBe(true);
  enter('both');
  await sleep(500);
  enter('removing');
  removeCertificate(trust.dir, oldKey.kid);
  expect(await eventually(async () => !(await publishedKids()).includes(oldKey.kid), 5000)).toBe(true);
  enter('new-only');
  await sleep(500);
  const samples = await load.stop();

  const inPhase = (name: string, kid: string) => samples.filter((s) => s.phase === name && s.result.kid === kid);
  const allValid = (name: string, kid: string) => {
    const mine = inPhase(name, kid);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((s) => !s.result.valid)).toEqual([]);
  };
  allValid('old-only', oldKey.kid);
  allValid('both', oldKey.kid);
  allValid('both', newKey.kid);
  allValid('removing', newKey.kid);
  allValid('new-only', newKey.kid);
  // While the old file is being removed its tokens may go either way, but only to unknown_key.
  expect(inPhase('removing', oldKey.kid).filter((s) => !s.result.valid && s.result.reason !== 'unknown_key')).toEqual(
    [],
  );
  const removed = inPhase('new-only', oldKey.kid);
  expect(removed.length).toBeGreaterThan(0);
  expect(removed.every((s) => s.result.status === 200 && s.result.reason === 'unknown_key')).toBe(true);
  expect(samples.every((s) => s.result.status === 200)).toBe(true);
});
