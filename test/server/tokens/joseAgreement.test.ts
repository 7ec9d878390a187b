// The hand-rolled hot path must never be more permissive than jose: for every token here, when prechat-guard says
// valid, jose.jwtVerify (same key, algorithms, issuer, audience, clock) must accept it too; when jose rejects its
// structure, algorithm or signature, prechat-guard must reject it as well.
import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { loadConfig } from '../../../server/src/config';
import { TrustStore } from '../../../server/src/keys/trustStore';
import { TokenVerifier } from '../../../server/src/tokens/verifier';
import {
  AUDIENCE,
  ISSUER,
  NOW_MS,
  NOW_S,
  claims,
  mint,
  productionEnv,
  removeDir,
  signRaw,
  testKey,
  trustDirWith,
} from '../../support/fixtures';

const key = testKey('agree');
const header = { alg: 'RS256', typ: 'JWT', kid: 'agree' };
const flip = (token: string, index: number) =>
  token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);

const tokens: Array<[string, string]> = [
  ['a valid minted token', mint(key)],
  ['a valid token with an audience array', signRaw(key, header, claims({ aud: [AUDIENCE, 'x'] }))],
  [
    'alg none',
    `${Buffer.from('{"alg":"none","kid":"agree"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`,
  ],
  ['a flipped signature character', flip(mint(key), mint(key).length - 5)],
  ['a flipped payload character', flip(mint(key), 60)],
  ['crit', signRaw(key, { ...header, crit: ['b64'], b64: false }, claims())],
  ['RS512 signature under an RS256 header', signRaw(key, header, claims(), 'sha512')],
  ['wrong issuer', signRaw(key, header, claims({ iss: 'x' }))],
  ['wrong audience', signRaw(key, header, claims({ aud: 'x' }))],
  ['expired', signRaw(key, header, claims({ iat: NOW_S - 400, nbf: NOW_S - 400, exp: NOW_S - 100 }))],
  ['string exp', signRaw(key, header, claims({ exp: String(NOW_S + 100) }))],
];

describe('agreement with jose', () => {
  let dir: string;
  let verifier: TokenVerifier;
  beforeAll(() => {
    dir = trustDirWith([key]);
    verifier = new TokenVerifier({
      config: loadConfig(productionEnv(dir)),
      trustStore: new TrustStore(dir),
      bindings: new MemoryBindingStore(100),
      now: () => NOW_MS,
    });
  });
  afterAll(() => removeDir(dir));

  it.each(tokens)('%s', async (_name, token) => {
    const ours = await verifier.verify({ token });
    const jose = await jwtVerify(token, createPublicKey(key.certPem), {
      algorithms: ['RS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(NOW_MS),
      clockTolerance: 30,
      requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'],
    }).then(
      () => true,
      () => false,
    );
    if (ours.valid) expect(jose).toBe(true);
    if (!jose) expect(ours.valid).toBe(false);
  });

  it('covers both answers (the table is not all-valid or all-invalid)', async () => {
    const results = await Promise.all(tokens.map(([, token]) => verifier.verify({ token })));
    expect(results.some((r) => r.valid)).toBe(true);
    expect(results.some((r) => !r.valid)).toBe(true);
  });
});
