// Attack catalog (issue 7): one row per known JWT/JWS attack or malformation, each with the answer it must get.
// The clock is frozen; every key is generated here; nothing leaves the process.
import { createHmac, sign as rsaSign } from 'node:crypto';
import { createSigningKey, writeCertificate, type SigningKey } from '../../bench/lib/keys';
import {
  b64url,
  idChecksum,
  randomId18,
  signJws,
  signRaw,
  standardClaims,
  standardHeader,
  type Claims,
} from '../../bench/lib/tokens';
import {
  AUDIENCE,
  ISSUER,
  KID,
  createTrust,
  startService,
  type TestService,
  type TrustFixture,
} from './support/service';

const NOW_S = Math.floor(Date.now() / 1000);
const NOW_MS = NOW_S * 1000;

let trust: TrustFixture;
let good: SigningKey;
let attacker: SigningKey;
let service: TestService;

beforeAll(async () => {
  trust = createTrust();
  good = trust.key;
  attacker = createSigningKey('attacker-1');
  // A trusted certificate that expired yesterday: its tokens must answer key_expired.
  writeCertificate(
    trust.dir,
    createSigningKey('expired-1', {
      notBefore: new Date(NOW_MS - 30 * 86_400_000),
      notAfter: new Date(NOW_MS - 86_400_000),
    }),
  );
  service = await startService(trust.dir, { now: () => NOW_MS });
});

afterAll(async () => {
  await service.close();
  trust.remove();
});

const claims = (overrides: Claims = {}): Claims => {
  const base = standardClaims({ issuer: ISSUER, audience: AUDIENCE, iat: NOW_S });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
};
const header = (overrides: Claims = {}): Claims => {
  const base = standardHeader(KID);
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
};
/** Signed by the trusted key unless another key is given. */
const jws = (h: Claims, p: Claims, key: SigningKey = good) => signJws({ header: h, payload: p }, key.privateKey);
/** Raw JSON texts (for values JSON.stringify cannot write, such as 1e400 or duplicate/`__proto__` keys). */
const rawJws = (headerJson: string, payloadJson: string, key: SigningKey = good) =>
  signRaw(`${b64url(headerJson)}.${b64url(payloadJson)}`, key.privateKey);
const hmac = (hash: 'sha256' | 'sha384', alg: string, secret: string) => {
  const input = `${b64url(JSON.stringify(header({ alg })))}.${b64url(JSON.stringify(claims()))}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
};
const segments = (token: string) => token.split('.') as [string, string, string];
/** The payload JSON text of a standard, valid payload, without its closing brace (to append raw members). */
const payloadPrefix = () => JSON.stringify(claims()).slice(0, -1);

type Expected = { status: 200; reason: string } | { status: 200; valid: true } | { status: number; error: string };
interface Row {
  name: string;
  body: () => unknown;
  expect: Expected;
}
const tokenRow = (name: string, token: () => string, expect: Expected, extra: Claims = {}): Row => ({
  name,
  body: () => ({ token: token(), ...extra }),
  expect,
});
const reason = (code: string): Expected => ({ status: 200, reason: code });
const VALID: Expected = { status: 200, valid: true };

const rows: Row[] = [
  // control rows: prove the setup accepts what it should, so every rejection below is the attack's doing
  tokenRow('control: a valid token', () => jws(header(), claims()), VALID),
  tokenRow(
    'control: aud as an array that contains the audience',
    () => jws(header(), claims({ aud: ['x', AUDIENCE] })),
    VALID,
  ),
  tokenRow(
    'control: sub in its 15-character form',
    () => jws(header(), claims({ sub: randomId18().slice(0, 15) })),
    VALID,
  ),

  // alg: none and algorithm confusion
  tokenRow(
    'alg none, empty signature',
    () => `${b64url('{"alg":"none","typ":"JWT","kid":"prechat-guard-1"}')}.${b64url(JSON.stringify(claims()))}.`,
    reason('malformed'),
  ),
  tokenRow(
    'alg none, with a real signature',
    () => jws(header({ alg: 'none' }), claims()),
    reason('unsupported_algorithm'),
  ),
  tokenRow('alg None (case variant)', () => jws(header({ alg: 'None' }), claims()), reason('unsupported_algorithm')),
  tokenRow('alg rs256 (lower case)', () => jws(header({ alg: 'rs256' }), claims()), reason('unsupported_algorithm')),
  tokenRow(
    'alg RS512 when only RS256 is enabled',
    () => jws(header({ alg: 'RS512' }), claims()),
    reason('unsupported_algorithm'),
  ),
  tokenRow('alg PS256', () => jws(header({ alg: 'PS256' }), claims()), reason('unsupported_algorithm')),
  tokenRow('alg missing', () => jws(header({ alg: undefined }), claims()), reason('unsupported_algorithm')),
  tokenRow('alg as an array', () => jws(header({ alg: ['RS256'] }), claims()), reason('unsupported_algorithm')),
  tokenRow(
    'HS256 keyed with the public key PEM',
    () => hmac('sha256', 'HS256', good.publicKeyPem),
    reason('unsupported_algorithm'),
  ),
  tokenRow(
    'HS256 keyed with the certificate PEM',
    () => hmac('sha256', 'HS256', good.certificatePem),
    reason('unsupported_algorithm'),
  ),
  tokenRow(
    'HS384 keyed with the public key PEM',
    () => hmac('sha384', 'HS384', good.publicKeyPem),
    reason('unsupported_algorithm'),
  ),

  // header key material is never used
  tokenRow(
    'jwk header with the attacker key, trusted kid',
    () => jws(header({ jwk: attacker.publicKey.export({ format: 'jwk' }) }), claims(), attacker),
    reason('bad_signature'),
  ),
  tokenRow(
    'jwk header with the attacker key, no kid',
    () => jws(header({ kid: undefined, jwk: attacker.publicKey.export({ format: 'jwk' }) }), claims(), attacker),
    reason('unknown_key'),
  ),
  tokenRow(
    'jku header pointing at an attacker JWKS, trusted kid',
    () => jws(header({ jku: 'https://attacker.example/jwks.json' }), claims(), attacker),
    reason('bad_signature'),
  ),
  tokenRow(
    'jku header, attacker kid',
    () => jws(header({ kid: 'attacker-1', jku: 'https://attacker.example/jwks.json' }), claims(), attacker),
    reason('unknown_key'),
  ),
  tokenRow(
    'x5u header, trusted kid',
    () => jws(header({ x5u: 'https://attacker.example/cert.pem' }), claims(), attacker),
    reason('bad_signature'),
  ),
  tokenRow(
    'x5c header with the attacker certificate, trusted kid',
    () => jws(header({ x5c: [attacker.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '')] }), claims(), attacker),
    reason('bad_signature'),
  ),
  tokenRow(
    'x5c header with the attacker certificate, no kid',
    () =>
      jws(
        header({ kid: undefined, x5c: [attacker.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '')] }),
        claims(),
        attacker,
      ),
    reason('unknown_key'),
  ),

  // kid lookups: only the exact name of a trusted key matches; no file system path, no prototype name
  ...[
    ['../prechat-guard-1', 'kid with ../'],
    ['../../../../etc/passwd', 'kid traversing to /etc/passwd'],
    ['/etc/passwd', 'kid as an absolute path'],
    ['prechat-guard-1.crt', 'kid with the file extension'],
    ['./prechat-guard-1', 'kid with ./'],
    ['prechat-guard-1 ', 'kid with a trailing space'],
    ['PRECHAT-GUARD-1', 'kid in another case'],
    ['prechat-guard-1\u0000', 'kid with a NUL byte'],
    ['prëchat-guard-1', 'non-ASCII kid'],
    ['\u0440rechat-guard-1', 'kid with a Cyrillic homoglyph'],
    ['k'.repeat(4000), 'very long kid (4000 characters)'],
    ['__proto__', 'kid __proto__'],
    ['constructor', 'kid constructor'],
    ['hasOwnProperty', 'kid hasOwnProperty'],
  ].map(([kid, name]) => tokenRow(name!, () => jws(header({ kid }), claims()), reason('unknown_key'))),
  tokenRow(
    'kid as the absolute path of the trusted certificate',
    () => jws(header({ kid: `${trust.dir}/${KID}.crt` }), claims()),
    reason('unknown_key'),
  ),
  tokenRow('kid as a number', () => jws(header({ kid: 1 }), claims()), reason('unknown_key')),
  tokenRow('kid as an array', () => jws(header({ kid: [KID] }), claims()), reason('unknown_key')),
  tokenRow('kid missing', () => jws(header({ kid: undefined }), claims()), reason('unknown_key')),
  tokenRow(
    'kid of an expired trusted certificate',
    () => jws(header({ kid: 'expired-1' }), claims()),
    reason('key_expired'),
  ),

  // extensions and structure
  tokenRow(
    'unknown crit extension',
    () => jws(header({ crit: ['http://example.com/ext'], 'http://example.com/ext': 1 }), claims()),
    reason('malformed'),
  ),
  tokenRow('crit naming exp', () => jws(header({ crit: ['exp'] }), claims()), reason('malformed')),
  tokenRow('b64: false', () => jws(header({ b64: false }), claims()), reason('malformed')),
  tokenRow('b64: false with crit b64', () => jws(header({ b64: false, crit: ['b64'] }), claims()), reason('malformed')),
  tokenRow(
    'JWE (5 segments)',
    () => `${b64url('{"alg":"RSA-OAEP","enc":"A256GCM","kid":"prechat-guard-1"}')}.AAAA.AAAA.AAAA.AAAA`,
    reason('malformed'),
  ),
  tokenRow('four segments', () => `${jws(header(), claims())}.AAAA`, reason('malformed')),
  tokenRow('two dots only', () => '..', reason('malformed')),
  tokenRow(
    'nested JWT as the payload',
    () =>
      signRaw(`${b64url(JSON.stringify(header({ cty: 'JWT' })))}.${b64url(jws(header(), claims()))}`, good.privateKey),
    reason('malformed'),
  ),
  tokenRow(
    'payload is a JSON string holding a JWT',
    () => rawJws(JSON.stringify(header({ cty: 'JWT' })), JSON.stringify(jws(header(), claims()))),
    reason('malformed'),
  ),
  tokenRow('payload is a JSON array', () => rawJws(JSON.stringify(header()), '[1,2]'), reason('malformed')),
  tokenRow('header is JSON null', () => rawJws('null', JSON.stringify(claims())), reason('malformed')),
  tokenRow(
    'header is not UTF-8',
    () =>
      signRaw(
        `${Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url')}.${b64url(JSON.stringify(claims()))}`,
        good.privateKey,
      ),
    reason('malformed'),
  ),
  tokenRow('padding (=) on the signature', () => `${jws(header(), claims())}==`, reason('malformed')),
  tokenRow(
    'padding (=) on the payload',
    () => {
      const [h, p, s] = segments(jws(header(), claims()));
      return `${h}.${p}=.${s}`;
    },
    reason('malformed'),
  ),
  tokenRow('leading space', () => ` ${jws(header(), claims())}`, reason('malformed')),
  tokenRow(
    'newline inside the signature',
    () => {
      const t = jws(header(), claims());
      return `${t.slice(0, -10)}\n${t.slice(-10)}`;
    },
    reason('malformed'),
  ),
  tokenRow(
    'standard-base64 character (+) in the signature',
    () => {
      const [h, p, s] = segments(jws(header(), claims()));
      return `${h}.${p}.+${s.slice(1)}`;
    },
    reason('malformed'),
  ),
  tokenRow(
    'non-ASCII character in the header segment',
    () => {
      const [h, p, s] = segments(jws(header(), claims()));
      return `é${h}.${p}.${s}`;
    },
    reason('malformed'),
  ),
  tokenRow(
    'non-canonical base64url (non-zero trailing bits)',
    () => {
      const [h, p, s] = segments(jws(header(), claims()));
      // 256 signature bytes → 342 characters: the last one carries 2 data bits and 4 bits that must be zero.
      const last = s.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twisted = alphabet[alphabet.indexOf(last) | 1]!;
      return `${h}.${p}.${s.slice(0, -1)}${twisted}`;
    },
    reason('malformed'),
  ),

  // signature substitution
  tokenRow(
    'right key, signature over a different header',
    () => {
      const [, p, s] = segments(jws(header({ typ: 'other' }), claims()));
      return `${b64url(JSON.stringify(header()))}.${p}.${s}`;
    },
    reason('bad_signature'),
  ),
  tokenRow(
    'payload swapped between two valid tokens',
    () => {
      const [h1, , s1] = segments(jws(header(), claims()));
      const [, p2] = segments(jws(header(), claims()));
      return `${h1}.${p2}.${s1}`;
    },
    reason('bad_signature'),
  ),
  tokenRow(
    'signature by an untrusted key under the trusted kid',
    () => jws(header(), claims(), attacker),
    reason('bad_signature'),
  ),
  tokenRow(
    'truncated signature',
    () => {
      const [h, p, s] = segments(jws(header(), claims()));
      return `${h}.${p}.${s.slice(0, 300)}`;
    },
    reason('bad_signature'),
  ),
  tokenRow(
    'RS512 signature under alg RS256',
    () => {
      const input = `${b64url(JSON.stringify(header()))}.${b64url(JSON.stringify(claims()))}`;
      return `${input}.${rsaSign('sha512', Buffer.from(input), good.privateKey).toString('base64url')}`;
    },
    reason('bad_signature'),
  ),

  // claim types and values
  ...(['exp', 'iat', 'nbf'] as const).flatMap((claim) => [
    tokenRow(`${claim} as a string`, () => jws(header(), claims({ [claim]: String(NOW_S) })), reason('malformed')),
    tokenRow(`${claim} as a float`, () => jws(header(), claims({ [claim]: NOW_S + 0.5 })), reason('malformed')),
    tokenRow(`${claim} negative`, () => jws(header(), claims({ [claim]: -1 })), reason('malformed')),
    tokenRow(`${claim} as "NaN"`, () => jws(header(), claims({ [claim]: 'NaN' })), reason('malformed')),
    tokenRow(`${claim} above 2^53`, () => jws(header(), claims({ [claim]: 2 ** 60 })), reason('malformed')),
    tokenRow(
      `${claim} as 1e400 (Infinity)`,
      () =>
        rawJws(
          JSON.stringify(header()),
          JSON.stringify(claims({ [claim]: 0 })).replace(`"${claim}":0`, `"${claim}":1e400`),
        ),
      reason('malformed'),
    ),
    tokenRow(`${claim} as a boolean`, () => jws(header(), claims({ [claim]: true })), reason('malformed')),
  ]),
  tokenRow(
    'aud as an array without the audience',
    () => jws(header(), claims({ aud: ['other', 'prechat-guard-x'] })),
    reason('wrong_audience'),
  ),
  tokenRow('aud as a nested array', () => jws(header(), claims({ aud: [[AUDIENCE]] })), reason('wrong_audience')),
  tokenRow('aud as an object', () => jws(header(), claims({ aud: { 0: AUDIENCE } })), reason('wrong_audience')),
  tokenRow(
    'aud in another case',
    () => jws(header(), claims({ aud: AUDIENCE.toUpperCase() })),
    reason('wrong_audience'),
  ),
  tokenRow('iss of another org', () => jws(header(), claims({ iss: '00D000000000000AAA' })), reason('wrong_issuer')),
  tokenRow('iss as an array', () => jws(header(), claims({ iss: [ISSUER] })), reason('wrong_issuer')),
  ...['iss', 'aud', 'sub', 'iat', 'exp', 'jti'].flatMap((claim) => [
    tokenRow(`missing ${claim}`, () => jws(header(), claims({ [claim]: undefined })), reason('missing_claim')),
    tokenRow(`${claim} null`, () => jws(header(), claims({ [claim]: null })), reason('missing_claim')),
  ]),
  tokenRow('jti empty', () => jws(header(), claims({ jti: '' })), reason('malformed')),
  tokenRow('jti a number', () => jws(header(), claims({ jti: 12345 })), reason('malformed')),
  tokenRow('sub a contact id (003)', () => jws(header(), claims({ sub: randomId18('003') })), reason('malformed')),
  tokenRow(
    'sub with a wrong checksum',
    () => {
      const id15 = randomId18().slice(0, 15);
      const wrong = idChecksum(id15) === 'AAA' ? 'AAB' : 'AAA';
      return jws(header(), claims({ sub: id15 + wrong }));
    },
    reason('malformed'),
  ),
  tokenRow(
    'sub of 16 characters',
    () => jws(header(), claims({ sub: randomId18().slice(0, 16) })),
    reason('malformed'),
  ),
  tokenRow('sub with SQL/SOQL text', () => jws(header(), claims({ sub: "005' OR Id != null" })), reason('malformed')),
  tokenRow('sub a number', () => jws(header(), claims({ sub: 5 })), reason('malformed')),

  // time and user
  tokenRow(
    'expired',
    () => jws(header(), claims({ iat: NOW_S - 400, nbf: NOW_S - 400, exp: NOW_S - 100 })),
    reason('expired'),
  ),
  tokenRow(
    'not yet valid (iat in the future)',
    () => jws(header(), claims({ iat: NOW_S + 120, nbf: NOW_S + 120, exp: NOW_S + 420 })),
    reason('not_yet_valid'),
  ),
  tokenRow(
    'not yet valid (nbf in the future)',
    () => jws(header(), claims({ nbf: NOW_S + 120 })),
    reason('not_yet_valid'),
  ),
  tokenRow(
    'too old (issued 700 s ago, exp still ahead)',
    () => jws(header(), claims({ iat: NOW_S - 700, nbf: NOW_S - 700, exp: NOW_S + 100 })),
    reason('too_old'),
  ),
  tokenRow('lifetime above 3600 s', () => jws(header(), claims({ exp: NOW_S + 7200 })), reason('too_old')),
  tokenRow('userId of another user', () => jws(header(), claims()), reason('user_mismatch'), { userId: randomId18() }),
  {
    name: 'userId with a case change in its first 15 characters',
    body: () => {
      const sub = '005AbCdEfGhIjKl';
      const flipped = '005aBcDeFgHiJkL';
      return { token: jws(header(), claims({ sub })), userId: flipped + idChecksum(flipped) };
    },
    expect: reason('user_mismatch'),
  },

  // prototype keys in header, payload and body
  tokenRow(
    'header __proto__ carrying kid (no own kid)',
    () => rawJws('{"alg":"RS256","typ":"JWT","__proto__":{"kid":"prechat-guard-1"}}', JSON.stringify(claims())),
    reason('unknown_key'),
  ),
  tokenRow(
    'header __proto__ carrying alg (no own alg)',
    () => rawJws('{"typ":"JWT","kid":"prechat-guard-1","__proto__":{"alg":"RS256"}}', JSON.stringify(claims())),
    reason('unsupported_algorithm'),
  ),
  tokenRow(
    'payload __proto__ carrying iss (no own iss)',
    () =>
      rawJws(
        JSON.stringify(header()),
        JSON.stringify(claims({ iss: undefined })).replace('{', `{"__proto__":{"iss":"${ISSUER}"},`),
      ),
    reason('missing_claim'),
  ),
  tokenRow(
    'payload constructor.prototype carrying valid: true',
    () =>
      rawJws(
        JSON.stringify(header()),
        `${payloadPrefix()},"constructor":{"prototype":{"valid":true,"polluted":true}}}`,
      ),
    VALID,
  ),
  {
    name: 'body __proto__ carrying the token',
    body: () => `{"__proto__":{"token":${JSON.stringify(jws(header(), claims()))}}}`,
    expect: { status: 400, error: 'invalid_json' },
  },
  {
    name: 'body constructor.prototype next to a valid token',
    body: () => `{"token":${JSON.stringify(jws(header(), claims()))},"constructor":{"prototype":{"valid":true}}}`,
    expect: { status: 400, error: 'invalid_json' },
  },

  // sizes
  tokenRow('token of 8193 characters', () => 'A'.repeat(8193), { status: 413, error: 'token_too_large' }),
  tokenRow('token of 8192 characters (allowed size, garbage)', () => 'A'.repeat(8192), reason('malformed')),
  {
    name: 'body over 16 KiB',
    body: () => ({ token: jws(header(), claims()), pad: 'x'.repeat(17 * 1024) }),
    expect: { status: 413, error: 'payload_too_large' },
  },
  tokenRow(
    'claims bloated to 7 KB (under the limits)',
    () => jws(header(), claims({ bloat: 'x'.repeat(5000) })),
    VALID,
  ),

  // legacy v1 tokens (disabled by default)
  tokenRow(
    'legacy v1 token (RSA-2048 signature over the user id)',
    () => rsaSign('sha256', Buffer.from(randomId18()), good.privateKey).toString('base64'),
    reason('legacy_disabled'),
  ),
  tokenRow('legacy-shaped 512 bytes', () => Buffer.alloc(512, 7).toString('base64'), reason('legacy_disabled')),
  tokenRow(
    'base64 of 255 bytes (not a legacy signature)',
    () => Buffer.alloc(255, 7).toString('base64'),
    reason('malformed'),
  ),

  // request shape
  { name: 'body not JSON', body: () => '{"token":', expect: { status: 400, error: 'invalid_json' } },
  { name: 'body a JSON array', body: () => '[]', expect: { status: 400, error: 'invalid_body' } },
  { name: 'token a number', body: () => ({ token: 42 }), expect: { status: 400, error: 'invalid_field' } },
  { name: 'token empty', body: () => ({ token: '' }), expect: { status: 400, error: 'invalid_field' } },
  {
    name: 'sessionKey of 256 characters',
    body: () => ({ token: jws(header(), claims()), sessionKey: 's'.repeat(256) }),
    expect: { status: 400, error: 'invalid_field' },
  },
];

describe('attack catalog', () => {
  test.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const { status, json } = await service.verify(row.body());
    const expected = row.expect;
    expect(status).toBe(expected.status);
    if ('reason' in expected) {
      expect(json).toEqual({ valid: false, reason: expected.reason, detail: expect.any(String) });
    } else if ('valid' in expected) {
      expect(json.valid).toBe(true);
    } else {
      expect(json).toEqual({ error: expected.error, detail: expect.any(String) });
    }
  });

  test('no row polluted Object.prototype', () => {
    const probe: Record<string, unknown> = {};
    expect(probe.valid).toBeUndefined();
    expect(probe.polluted).toBeUndefined();
    expect(probe.kid).toBeUndefined();
    expect(probe.token).toBeUndefined();
  });

  test('an unauthenticated call gets 401 with WWW-Authenticate, and a wrong key does too', async () => {
    const body = JSON.stringify({ token: jws(header(), claims()) });
    for (const authorization of [undefined, 'Bearer wrong-key-of-enough-length', `Basic ${service.callerKey}`]) {
      const response = await service.app.inject({
        method: 'POST',
        url: '/v1/verify',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        payload: body,
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.json()).toEqual({ error: 'unauthenticated', detail: expect.any(String) });
    }
  });

  test('a token bound to one session is replayed under another and without a session key', async () => {
    const token = jws(header(), claims());
    expect((await service.verify({ token, sessionKey: '0Mw000000000001' })).json).toMatchObject({
      valid: true,
      binding: 'new',
    });
    expect((await service.verify({ token, sessionKey: '0Mw000000000002' })).json).toMatchObject({ reason: 'replayed' });
    expect((await service.verify({ token })).json).toMatchObject({ reason: 'replayed' });
    expect((await service.verify({ token, sessionKey: '0Mw000000000001' })).json).toMatchObject({
      binding: 'same-session',
    });
  });

  test('error answers never echo the token', async () => {
    const token = jws(header({ kid: 'nope' }), claims());
    const { json } = await service.verify({ token });
    expect(JSON.stringify(json)).not.toContain(segments(token)[2]);
    const big = await service.verify({ token: `${token}${'A'.repeat(8192)}` });
    expect(JSON.stringify(big.json)).not.toContain(segments(token)[1]);
  });
});
