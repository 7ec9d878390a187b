// Property-based fuzzing of POST /v1/verify (issue 7): random bodies and mutated valid tokens. Seeded, so a failure
// prints a seed and path that replay it exactly (FC_SEED=<n> to pick another seed). 10,000+ cases in all.
import fc from 'fast-check';
import { randomId18 } from '../../bench/lib/tokens';
import {
  SERVICE_REASONS,
  createTrust,
  startService,
  validToken,
  type TestService,
  type TrustFixture,
} from './support/service';

const SEED = Number(process.env.FC_SEED ?? 20261123);
const NOW_S = Math.floor(Date.now() / 1000);
const ERROR_CODES = new Set([
  'invalid_json',
  'invalid_body',
  'missing_field',
  'invalid_field',
  'token_too_large',
  'payload_too_large',
  'bad_request',
]);

let trust: TrustFixture;
let service: TestService;
let tokens: string[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  trust = createTrust();
  service = await startService(trust.dir, { now: () => NOW_S * 1000 });
  tokens = Array.from({ length: 16 }, () => validToken(trust.key, NOW_S).token);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await service.close();
  trust.remove();
});

/** The invariants every answer must keep; `original` marks an unmodified valid token. */
function checkAnswer(status: number, json: Record<string, unknown>, original: boolean): void {
  if (status === 200) {
    if (original) {
      expect(json.valid).toBe(true);
    } else {
      expect(json.valid).toBe(false);
      expect(SERVICE_REASONS.has(json.reason as string)).toBe(true);
      expect(typeof json.detail).toBe('string');
    }
    return;
  }
  // Not a verification outcome: only documented client errors; with the in-process store nothing may be 5xx.
  expect([400, 413]).toContain(status);
  expect(ERROR_CODES.has(json.error as string)).toBe(true);
  expect(original).toBe(false);
}

type Mutation = (token: string) => string;

/** Some mutations need intact segments; after an earlier mutation broke them, they leave the token as it is. */
const lenient =
  (mutate: Mutation): Mutation =>
  (token) => {
    try {
      return mutate(token);
    } catch {
      return token;
    }
  };

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // flip one bit of one decoded byte in one segment, then re-encode
  fc
    .tuple(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 7 }))
    .map(([segment, at, bit]): Mutation => (token) => {
      const parts = token.split('.');
      const bytes = Buffer.from(parts[segment]!, 'base64url');
      bytes[at % bytes.length]! ^= 1 << bit;
      parts[segment] = bytes.toString('base64url');
      return parts.join('.');
    }),
  // flip one bit of one character of the text (may leave the base64url alphabet)
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 6 })).map(([at, bit]): Mutation => (token) => {
    const i = at % token.length;
    return token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << bit)) + token.slice(i + 1);
  }),
  // replace one character with another base64url character
  fc.tuple(fc.nat(), fc.nat()).map(([at, pick]): Mutation => (token) => {
    const i = at % token.length;
    const replacement = alphabet[pick % alphabet.length]!;
    return token.slice(0, i) + replacement + token.slice(i + 1);
  }),
  // truncation (never to the same length)
  fc.nat().map(
    (at): Mutation =>
      (token) =>
        token.slice(0, at % token.length),
  ),
  // insertion of arbitrary text
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 4 })).map(([at, text]): Mutation => (token) => {
    const i = at % (token.length + 1);
    return token.slice(0, i) + text + token.slice(i);
  }),
  // re-encoding: standard base64 with padding, or header/payload re-serialised with the same meaning
  fc.constantFrom<Mutation>(
    (token) =>
      token
        .split('.')
        .map((part) => Buffer.from(part, 'base64url').toString('base64'))
        .join('.'),
    lenient((token) => {
      const [h, p, s] = token.split('.');
      const pretty = JSON.stringify(JSON.parse(Buffer.from(p!, 'base64url').toString()), null, 1);
      return `${h}.${Buffer.from(pretty).toString('base64url')}.${s}`;
    }),
    lenient((token) => {
      const [h, p, s] = token.split('.');
      const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
      const reordered = Object.fromEntries(Object.entries(header).reverse());
      return `${Buffer.from(JSON.stringify(reordered)).toString('base64url')}.${p}.${s}`;
    }),
    (token) => token.split('.').reverse().join('.'),
    (token) => `${token}.`,
    (token) => token.replace(/\./g, '..'),
  ),
);

describe('fuzzing POST /v1/verify', () => {
  test('random bodies: only documented outcomes, no 5xx (4,000 cases)', async () => {
    const stringish = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '005', '.', '..', 'eyJ'));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc
        .record(
          {
            token: fc.oneof(stringish, fc.jsonValue({ maxDepth: 1 })),
            userId: fc.oneof(stringish, fc.constant(randomId18()), fc.jsonValue({ maxDepth: 1 })),
            sessionKey: fc.oneof(stringish, fc.jsonValue({ maxDepth: 1 })),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const { status, json } = await service.verify(payload);
        checkAnswer(status, json, false);
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  test('mutated valid tokens are never valid; unmodified ones always are (6,500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 15 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 9 }),
        async (which, mutations, dice) => {
          // one case in ten sends the token unmodified, so the positive half of the invariant is exercised too
          const original = tokens[which]!;
          const token =
            dice === 0 ? original : mutations.reduce((t, m) => (t.length > 0 ? lenient(m)(t) : t), original);
          if (token.length === 0) return; // an empty token is a 400 (covered by the catalog)
          const { status, json } = await service.verify({ token });
          checkAnswer(status, json, token === original);
        },
      ),
      { seed: SEED + 1, numRuns: 6500 },
    );
  });

  test('no unhandled promise rejection happened while fuzzing', () => {
    expect(unhandled).toEqual([]);
  });
});
