// The pipeline below HTTP: order of checks, the verified-token cache, and the binding rules.
import { constants, sign } from 'node:crypto';
import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { TrustStore } from '../../../server/src/keys/trustStore';
import { TokenVerifier } from '../../../server/src/tokens/verifier';
import { loadConfig } from '../../../server/src/config';
import {
  NOW_MS,
  NOW_S,
  OTHER_USER_18,
  claims,
  mint,
  productionEnv,
  removeDir,
  signRaw,
  testKey,
  trustDirWith,
} from '../../support/fixtures';

const key = testKey('k1');
let dir: string;
let clock: { now: number };
let bindings: MemoryBindingStore;
let verifier: TokenVerifier;

beforeEach(() => {
  dir = trustDirWith([key]);
  clock = { now: NOW_MS };
  bindings = new MemoryBindingStore(1000);
  verifier = new TokenVerifier({
    config: loadConfig(productionEnv(dir)),
    trustStore: new TrustStore(dir),
    bindings,
    now: () => clock.now,
  });
});
afterEach(() => removeDir(dir));

describe('order of checks: the first failing one gives the reason', () => {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'k1' };
  it.each([
    ['alg before kid', signRaw(key, { alg: 'HS256', kid: 'nope' }, claims()), 'unsupported_algorithm'],
    ['kid before signature', signRaw(testKey('x'), { ...header, kid: 'nope' }, claims()), 'unknown_key'],
    ['signature before claims', signRaw(testKey('x'), header, { nothing: true }), 'bad_signature'],
    ['issuer before time', signRaw(key, header, claims({ iss: 'x', iat: NOW_S + 999 })), 'wrong_issuer'],
    ['time before user', signRaw(key, header, claims({ iat: NOW_S + 999, exp: NOW_S + 1200 })), 'not_yet_valid'],
    ['user before expiry', signRaw(key, header, claims({ sub: OTHER_USER_18, exp: NOW_S - 100 })), 'user_mismatch'],
    ['expiry before age', signRaw(key, header, claims({ iat: NOW_S - 9000, exp: NOW_S - 100 })), 'expired'],
  ])('%s', async (_name, token, reason) => {
    expect(await verifier.verify({ token, userId: '005000000000001AAA' })).toMatchObject({ reason });
  });

  it('checks PKCS#1 v1.5 signatures only: an RSA-PSS signature by the trusted key under RS256 is a bad signature', async () => {
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
    const pss = sign('sha256', Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING });
    expect(await verifier.verify({ token: `${input}.${pss.toString('base64url')}` })).toMatchObject({
      reason: 'bad_signature',
    });
    const pkcs1 = sign('sha256', Buffer.from(input), key.privateKey);
    expect(await verifier.verify({ token: `${input}.${pkcs1.toString('base64url')}` })).toMatchObject({ valid: true });
  });

  it('uses nbf (when present) for not_yet_valid', async () => {
    const token = signRaw(key, header, claims({ nbf: NOW_S + 31 }));
    expect(await verifier.verify({ token })).toMatchObject({ reason: 'not_yet_valid' });
    const tolerated = signRaw(key, header, claims({ nbf: NOW_S + 30, jti: 'j2' }));
    expect(await verifier.verify({ token: tolerated })).toMatchObject({ valid: true });
  });

  it('applies the clock tolerance to exp', async () => {
    const token = signRaw(key, header, claims({ iat: NOW_S - 300, nbf: NOW_S - 300, exp: NOW_S - 29 }));
    expect(await verifier.verify({ token })).toMatchObject({ valid: true });
    clock.now += 1000;
    expect(await verifier.verify({ token })).toMatchObject({ reason: 'expired' });
  });
});

describe('verified-token cache', () => {
  it('re-runs the time rules on a cached token', async () => {
    const token = mint(key);
    expect(await verifier.verify({ token })).toMatchObject({ valid: true });
    clock.now += 400 * 1000;
    expect(await verifier.verify({ token })).toMatchObject({ reason: 'expired' });
  });

  it('re-runs the user check on a cached token', async () => {
    const token = mint(key);
    await verifier.verify({ token });
    expect(await verifier.verify({ token, userId: OTHER_USER_18 })).toMatchObject({ reason: 'user_mismatch' });
  });

  it('re-runs the binding check on a cached token', async () => {
    const token = mint(key);
    expect(await verifier.verify({ token, sessionKey: 's1' })).toMatchObject({ binding: 'new' });
    expect(await verifier.verify({ token, sessionKey: 's2' })).toMatchObject({ reason: 'replayed' });
    expect(await verifier.verify({ token, sessionKey: 's1' })).toMatchObject({ binding: 'same-session' });
  });

  it('does not cache a token whose signature fails', async () => {
    const forged = signRaw(testKey('x'), { alg: 'RS256', kid: 'k1' }, claims());
    expect(await verifier.verify({ token: forged })).toMatchObject({ reason: 'bad_signature' });
    expect(await verifier.verify({ token: forged })).toMatchObject({ reason: 'bad_signature' });
  });
});
