// The hand-rolled hot path must never be more permissive than jose: for every token here, when prechat-guard says
// valid, jose.jwtVerify (same key, algorithms, issuer, audience, clock) must accept it too; when jose rejects its
// structure, algorithm or signature, prechat-guard must reject it as well. The table covers what the service parses
// itself: algorithm confusion, key-type mismatch, crit and b64, malformed segments, base64url variants, duplicate keys.
import { constants, createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
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
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const segments = (token: string) => token.split('.') as [string, string, string];
/** Signs raw header and payload JSON text (duplicate keys, odd spacing) with the trusted key. */
const signText = (headerJson: string, payloadJson: string) => {
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
};
/** Algorithm confusion: an HMAC "signature" keyed with the trusted certificate's public key, as text. */
const hmacWithPublicKey = (alg: 'HS256' | 'HS512') => {
  const input = `${b64(JSON.stringify({ ...header, alg }))}.${b64(JSON.stringify(claims()))}`;
  const publicPem = createPublicKey(key.certPem).export({ type: 'spki', format: 'pem' });
  const mac = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', publicPem)
    .update(input)
    .digest('base64url');
  return `${input}.${mac}`;
};
/** An RSA-PSS signature by the trusted key, under the given header alg. */
const pss = (alg: 'PS256' | 'RS256') => {
  const input = `${b64(JSON.stringify({ ...header, alg }))}.${b64(JSON.stringify(claims()))}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return `${input}.${signature.toString('base64url')}`;
};
/** Key-type mismatch: an EC signature under ES256, naming the trusted RSA key's kid. */
const ecUnderRsaKid = () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = `${b64(JSON.stringify({ ...header, alg: 'ES256' }))}.${b64(JSON.stringify(claims()))}`;
  const signature = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
};
const valid = mint(key);
const [validHeader, validPayload, validSignature] = segments(valid);

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
  // Algorithm confusion and algorithms outside the configured list
  ['HS256 keyed with the public key', hmacWithPublicKey('HS256')],
  ['HS512 keyed with the public key', hmacWithPublicKey('HS512')],
  ['PS256 (RSA-PSS) with the trusted key', pss('PS256')],
  ['a PSS signature under an RS256 header', pss('RS256')],
  ['RS512 header and signature (not configured)', signRaw(key, { ...header, alg: 'RS512' }, claims(), 'sha512')],
  ['lower-case alg', signRaw(key, { ...header, alg: 'rs256' }, claims())],
  ['ES256 signature naming an RSA kid', ecUnderRsaKid()],
  ['alg none with an empty signature and a valid payload', `${b64('{"alg":"none","kid":"agree"}')}.${validPayload}.`],
  // Key selection
  ['no kid', signRaw(key, { alg: 'RS256', typ: 'JWT' }, claims())],
  ['numeric kid', signRaw(key, { ...header, kid: 1 }, claims())],
  ['an embedded jwk and an unknown kid', signRaw(key, { ...header, kid: 'other', jwk: { kty: 'RSA' } }, claims())],
  // crit and b64
  ['crit with an empty list', signRaw(key, { ...header, crit: [] }, claims())],
  ['crit naming an unknown extension', signRaw(key, { ...header, crit: ['exp'], exp: 1 }, claims())],
  ['b64 false without crit', signRaw(key, { ...header, b64: false }, claims())],
  ['b64 true', signRaw(key, { ...header, b64: true }, claims())],
  // Malformed segments
  ['two segments', `${validHeader}.${validPayload}`],
  ['four segments', `${valid}.${validSignature}`],
  ['an empty header segment', `.${validPayload}.${validSignature}`],
  ['an empty payload segment', `${validHeader}..${validSignature}`],
  ['an empty signature segment', `${validHeader}.${validPayload}.`],
  ['a header that is a JSON array', signText('["RS256"]', JSON.stringify(claims()))],
  ['a payload that is a JSON string', signText(JSON.stringify(header), '"claims"')],
  ['a payload that is not JSON', signText(JSON.stringify(header), '{"iss":')],
  [
    'a payload with invalid UTF-8',
    (() => {
      const input = `${validHeader}.${Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString('base64url')}`;
      return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
    })(),
  ],
  // Base64url variants: padding, whitespace, the standard alphabet, non-canonical trailing bits
  ['padding on the signature', `${valid}==`],
  ['padding on the header', `${validHeader}=.${validPayload}.${validSignature}`],
  [
    'a space inside the payload',
    `${validHeader}.${validPayload.slice(0, 10)} ${validPayload.slice(10)}.${validSignature}`,
  ],
  [
    'a newline inside the signature',
    `${validHeader}.${validPayload}.${validSignature.slice(0, 20)}\n${validSignature.slice(20)}`,
  ],
  ['a trailing space', `${valid} `],
  [
    'standard base64 (+ and /) in the signature',
    `${validHeader}.${validPayload}.${validSignature.replace(/-/g, '+').replace(/_/g, '/')}`,
  ],
  [
    'non-canonical trailing bits in the signature',
    `${validHeader}.${validPayload}.${validSignature.slice(0, -1)}${String.fromCharCode(validSignature.charCodeAt(validSignature.length - 1) ^ 1)}`,
  ],
  // Duplicate JSON keys: the last one counts, for jose and for the service alike
  [
    'duplicate iss, the trusted one last',
    signText(JSON.stringify(header), JSON.stringify(claims()).replace('{', '{"iss":"x",')),
  ],
  [
    'duplicate iss, the trusted one first',
    signText(JSON.stringify(header), JSON.stringify(claims()).replace(/}$/, ',"iss":"x"}')),
  ],
  ['duplicate alg, none last', signText('{"alg":"RS256","kid":"agree","alg":"none"}', JSON.stringify(claims()))],
  ['duplicate alg, RS256 last', signText('{"alg":"none","kid":"agree","alg":"RS256"}', JSON.stringify(claims()))],
  [
    'duplicate exp, expired last',
    signText(JSON.stringify(header), JSON.stringify(claims()).replace(/}$/, `,"exp":${NOW_S - 100}}`)),
  ],
  // Time claims
  ['nbf in the future', signRaw(key, header, claims({ nbf: NOW_S + 3600 }))],
  ['iat in the future', signRaw(key, header, claims({ iat: NOW_S + 3600, exp: NOW_S + 3900 }))],
  ['fractional exp', signRaw(key, header, claims({ exp: NOW_S + 100.5 }))],
  ['missing jti', signRaw(key, header, claims({ jti: undefined }))],
];

describe('agreement with jose', () => {
  let dir: string;
  let verifier: TokenVerifier;
  let config: ReturnType<typeof loadConfig>;
  beforeAll(() => {
    dir = trustDirWith([key]);
    config = loadConfig(productionEnv(dir));
    verifier = new TokenVerifier({
      config,
      trustStore: new TrustStore(dir),
      bindings: new MemoryBindingStore(100),
      now: () => NOW_MS,
    });
  });
  afterAll(() => removeDir(dir));

  it.each(tokens)('%s', async (_name, token) => {
    const ours = await verifier.verify({ token });
    const jose = await jwtVerify(token, createPublicKey(key.certPem), {
      algorithms: config.algorithms,
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
