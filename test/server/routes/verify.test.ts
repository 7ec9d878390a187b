// POST /v1/verify in-process (app.inject): every reason code, every HTTP error path, both caller-auth modes.
import { createHash, sign } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { buildApp } from '../../../server/src/app';
import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { StoreUnavailableError, type BindingStore } from '../../../server/src/bindings/store';
import { loadConfig } from '../../../server/src/config';
import {
  AUDIENCE,
  CALLER_KEY,
  ISSUER,
  NOW_MS,
  NOW_S,
  OTHER_USER_18,
  USER_15,
  USER_18,
  claims,
  mint,
  productionEnv,
  removeDir,
  signRaw,
  testApp,
  testKey,
  trustDirWith,
  verify,
  type TestApp,
} from '../../support/fixtures';
import { reasonCases, reasonKeys } from '../../support/reasonCases';

const { key, foreignKey, expiredKey } = reasonKeys;
let trustDir: string;
let service: TestApp;

beforeAll(() => {
  trustDir = trustDirWith([key, expiredKey]);
});
afterAll(() => removeDir(trustDir));
beforeEach(async () => {
  service = await testApp(productionEnv(trustDir));
});
afterEach(async () => service.close());

describe('valid tokens', () => {
  it('answers valid with the 18-character user id, issuer, token id, expiry and claims as signed', async () => {
    const token = mint(key, { userId: USER_15, contactId: '003000000000001AAA', locale: 'en_US' });
    const { status, body } = await verify(service.app, { token, userId: USER_18 });
    expect(status).toBe(200);
    expect(body).toEqual({
      valid: true,
      userId: USER_18,
      issuer: ISSUER,
      tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      expiresAt: new Date((NOW_S + 300) * 1000).toISOString(),
      binding: 'none',
      claims: expect.objectContaining({ sub: USER_15, contact_id: '003000000000001AAA', locale: 'en_US' }),
    });
  });

  it('binds on first use with a session key and answers same-session afterwards, even after exp', async () => {
    const token = mint(key);
    const first = await verify(service.app, { token, sessionKey: '0Mw000000000001AAA' });
    expect(first.body).toMatchObject({ valid: true, binding: 'new' });
    const bindingEnd = new Date(NOW_MS + 14400 * 1000).toISOString();
    expect(first.body.expiresAt).toBe(bindingEnd);
    service.clock.now += 3600 * 1000; // long past exp and the maximum age
    const again = await verify(service.app, { token, sessionKey: '0Mw000000000001AAA', userId: USER_18 });
    expect(again.body).toMatchObject({ valid: true, binding: 'same-session', expiresAt: bindingEnd });
  });

  it('keeps a conversation verified across its sessions: the session key is opaque, the conversation id here', async () => {
    // Enhanced Chat opens a new MessagingSession when a customer writes again after a session ended; the Apex actions
    // send the Conversation id as the session key, so every session of that conversation presents the same key.
    const token = mint(key);
    const conversation = '0dwWt0000000001AAA';
    expect((await verify(service.app, { token, sessionKey: conversation })).body).toMatchObject({ binding: 'new' });
    service.clock.now += 2 * 3600 * 1000; // a later session, long after exp, within the session lifetime
    expect((await verify(service.app, { token, sessionKey: conversation, userId: USER_18 })).body).toMatchObject({
      valid: true,
      binding: 'same-session',
    });
    const otherConversation = '0dwWt0000000002AAA';
    expect((await verify(service.app, { token, sessionKey: otherConversation })).body).toMatchObject({
      valid: false,
      reason: 'replayed',
    });
  });

  it('ends the binding after the session lifetime: the token is then expired', async () => {
    const token = mint(key);
    await verify(service.app, { token, sessionKey: 'chat-1' });
    service.clock.now += 14400 * 1000 + 1;
    expect((await verify(service.app, { token, sessionKey: 'chat-1' })).body).toMatchObject({ reason: 'expired' });
  });

  it('accepts an audience array that contains the configured audience', async () => {
    const token = signRaw(key, { alg: 'RS256', typ: 'JWT', kid: key.kid }, claims({ aud: ['other', AUDIENCE] }));
    expect((await verify(service.app, { token })).body).toMatchObject({ valid: true });
  });
});

describe('every reason code', () => {
  const cases = reasonCases();
  it.each(cases)('answers %s', async (reason, makeToken, extra = {}) => {
    const { status, body } = await verify(service.app, { token: makeToken(), ...extra });
    expect(status).toBe(200);
    expect(body).toEqual({ valid: false, reason, detail: expect.any(String) });
    expect((body.detail as string).length).toBeGreaterThan(10);
  });

  it('answers replayed for a bound token presented with another session key, or with none', async () => {
    const token = mint(key);
    await verify(service.app, { token, sessionKey: 'chat-A' });
    expect((await verify(service.app, { token, sessionKey: 'chat-B' })).body).toMatchObject({ reason: 'replayed' });
    expect((await verify(service.app, { token })).body).toMatchObject({ reason: 'replayed' });
  });

  it('never binds a token that fails a check', async () => {
    const token = mint(key, { userId: USER_18 });
    expect((await verify(service.app, { token, sessionKey: 'chat-A', userId: OTHER_USER_18 })).body).toMatchObject({
      reason: 'user_mismatch',
    });
    expect((await verify(service.app, { token, sessionKey: 'chat-B' })).body).toMatchObject({ binding: 'new' });
  });

  it('checks the binding before expiry: a bound token stays replayed after exp', async () => {
    const token = mint(key);
    await verify(service.app, { token, sessionKey: 'chat-A' });
    service.clock.now += 1000 * 1000;
    expect((await verify(service.app, { token, sessionKey: 'chat-B' })).body).toMatchObject({ reason: 'replayed' });
  });
});

describe('HTTP errors', () => {
  async function raw(payload: string, headers: Record<string, string> = {}) {
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/verify',
      headers: { authorization: `Bearer ${CALLER_KEY}`, 'content-type': 'application/json', ...headers },
      payload,
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown>, text: response.body };
  }

  it.each([
    ['body not JSON', '{"token":', 'invalid_json'],
    ['body a JSON array', '[]', 'invalid_body'],
    ['empty body', '', 'invalid_body'],
    ['token missing', '{}', 'missing_field'],
    ['token a number', '{"token":42}', 'invalid_field'],
    ['token empty', '{"token":""}', 'invalid_field'],
    ['userId not a string', '{"token":"a.b.c","userId":5}', 'invalid_field'],
    ['userId empty', '{"token":"a.b.c","userId":""}', 'invalid_field'],
    ['sessionKey empty', '{"token":"a.b.c","sessionKey":""}', 'invalid_field'],
    ['sessionKey too long', JSON.stringify({ token: 'a.b.c', sessionKey: 'k'.repeat(256) }), 'invalid_field'],
    ['sessionKey an object', '{"token":"a.b.c","sessionKey":{}}', 'invalid_field'],
  ])('400 when %s', async (_name, payload, code) => {
    const { status, body } = await raw(payload);
    expect(status).toBe(400);
    expect(body).toEqual({ error: code, detail: expect.any(String) });
  });

  it('accepts a sessionKey of exactly 255 characters and a long userId (answered user_mismatch)', async () => {
    const atLimit = await raw(JSON.stringify({ token: mint(key), sessionKey: 'k'.repeat(255) }));
    expect(atLimit.body).toMatchObject({ valid: true, binding: 'new' });
    const longUser = await raw(JSON.stringify({ token: mint(key), userId: '005' + 'x'.repeat(400) }));
    expect(longUser.status).toBe(200);
    expect(longUser.body.reason).toBe('user_mismatch');
  });

  it('400 for a sessionKey that is not well-formed UTF-16, so two different strings never share a session', async () => {
    // A lone surrogate has no UTF-8 form: hashed as UTF-8, "chat-\uD800" and "chat-\uDC00" would both become
    // "chat-\uFFFD" and one chat could use the other's binding.
    const token = mint(key);
    for (const sessionKey of ['chat-\uD800', 'chat-\uDC00', '\uDC00\uD800', 'x'.repeat(254) + '\uD83D']) {
      const { status, body } = await raw(JSON.stringify({ token, sessionKey }));
      expect(status).toBe(400);
      expect(body).toEqual({ error: 'invalid_field', detail: expect.stringContaining('sessionKey') });
    }
    // Nothing was bound by the refused requests: the token is still new to a well-formed key.
    expect((await raw(JSON.stringify({ token, sessionKey: 'chat-\uFFFD' }))).body).toMatchObject({ binding: 'new' });
  });

  it('counts the 255-character sessionKey limit in UTF-16 code units (JavaScript length), a surrogate pair as two', async () => {
    const emoji = '\u{1F600}'; // one code point, two UTF-16 code units
    const atLimit = emoji.repeat(127) + 'a'; // 255 code units, 128 code points
    expect((await raw(JSON.stringify({ token: mint(key), sessionKey: atLimit }))).body).toMatchObject({ valid: true });
    const overLimit = emoji.repeat(128); // 256 code units, 128 code points
    const refused = await raw(JSON.stringify({ token: mint(key), sessionKey: overLimit }));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_field');
  });

  it('400 for a non-JSON content type carrying text', async () => {
    const { status, body } = await raw('token=abc', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_json');
  });

  it('400 for prototype poisoning in the body', async () => {
    const { status } = await raw('{"token":"a.b.c","__proto__":{"valid":true}}');
    expect(status).toBe(400);
  });

  it('413 for a token over 8192 characters, without echoing it', async () => {
    const token = 'x'.repeat(8193);
    const { status, body, text } = await raw(JSON.stringify({ token }));
    expect(status).toBe(413);
    expect(body.error).toBe('token_too_large');
    expect(text).not.toContain('xxxxxxxx');
  });

  it('accepts a token of exactly 8192 characters (answered as malformed)', async () => {
    const { status, body } = await raw(JSON.stringify({ token: 'x'.repeat(8192) }));
    expect(status).toBe(200);
    expect(body.reason).toBe('malformed');
  });

  it('413 for a body over 16 KiB', async () => {
    const { status, body } = await raw(JSON.stringify({ token: 'a.b.c', padding: 'p'.repeat(17 * 1024) }));
    expect(status).toBe(413);
    expect(body.error).toBe('payload_too_large');
  });

  it('400 for a legacy token without userId when legacy tokens are accepted', async () => {
    await service.close();
    service = await testApp(productionEnv(trustDir, { PRECHAT_GUARD_LEGACY: 'accept' }));
    const { status, body } = await raw(JSON.stringify({ token: Buffer.alloc(256, 1).toString('base64') }));
    expect(status).toBe(400);
    expect(body.error).toBe('missing_field');
  });

  it('404 with a stable code for an unknown path', async () => {
    const response = await service.app.inject({ method: 'GET', url: '/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not_found', detail: expect.any(String) });
  });
});

describe('caller authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'not-the-key-0123456789'],
    ['a key differing in the last character', CALLER_KEY.slice(0, -1) + 'X'],
  ])('401 with WWW-Authenticate for %s', async (_name, credential) => {
    const { status, body, headers } = await verify(service.app, { token: mint(key) }, credential);
    expect(status).toBe(401);
    expect(headers['www-authenticate']).toBe('Bearer realm="prechat-guard"');
    expect(body.error).toBe('unauthenticated');
  });

  it.each([
    ['a body that is not JSON', '{"token":', 'application/json'],
    ['a form body', 'token=abc', 'application/x-www-form-urlencoded'],
    ['a body over 16 KiB', JSON.stringify({ token: 'x'.repeat(17 * 1024) }), 'application/json'],
  ])('authenticates before reading the body: a stranger sending %s gets 401', async (_name, payload, contentType) => {
    for (const authorization of [undefined, 'Bearer not-the-key-0123456789']) {
      const response = await service.app.inject({
        method: 'POST',
        url: '/v1/verify',
        headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
        payload,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthenticated', detail: expect.any(String) });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="prechat-guard"');
    }
  });

  it('401 for two Authorization headers, even when one of them is the right key', async () => {
    // A proxy that reads the last header would see another caller than a service that reads the first.
    for (const pair of [
      [`Bearer ${CALLER_KEY}`, 'Bearer someone-else-0123456789'],
      ['Bearer someone-else-0123456789', `Bearer ${CALLER_KEY}`],
      [`Bearer ${CALLER_KEY}`, `Bearer ${CALLER_KEY}`],
    ]) {
      const response = await service.app.inject({
        method: 'POST',
        url: '/v1/verify',
        // An array is the same header sent twice (light-my-request puts each in rawHeaders, as Node's parser does);
        // its types only know one value per header.
        headers: { authorization: pair as unknown as string, 'content-type': 'application/json' },
        payload: JSON.stringify({ token: mint(key) }),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthenticated', detail: expect.stringContaining('one') });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="prechat-guard"');
    }
  });

  it('accepts a key configured as a sha256: digest', async () => {
    await service.close();
    const digest = createHash('sha256').update('digest-configured-key-01').digest('hex');
    service = await testApp(
      productionEnv(trustDir, { PRECHAT_GUARD_CALLER_KEYS: `other-key-0123456789ab,sha256:${digest}` }),
    );
    expect((await verify(service.app, { token: mint(key) }, 'digest-configured-key-01')).status).toBe(200);
    expect((await verify(service.app, { token: mint(key) }, `sha256:${digest}`)).status).toBe(401);
  });

  describe('Named Credential JWTs', () => {
    const sfKey = testKey('sf-named-credential');
    let callerDir: string;
    beforeAll(() => {
      callerDir = trustDirWith([sfKey]);
    });
    afterAll(() => removeDir(callerDir));
    beforeEach(async () => {
      await service.close();
      service = await testApp({
        NODE_ENV: 'production',
        PRECHAT_GUARD_TRUST_DIR: trustDir,
        PRECHAT_GUARD_ISSUER: ISSUER,
        PRECHAT_GUARD_CALLER_JWT_TRUST_DIR: callerDir,
        PRECHAT_GUARD_CALLER_JWT_ISSUER: 'salesforce-org-00D000000000001',
        PRECHAT_GUARD_CALLER_JWT_AUDIENCE: 'https://prechat-guard.example.com',
      });
    });

    async function callerJwt(overrides: { kid?: string; iss?: string; aud?: string; exp?: number } = {}) {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: overrides.kid ?? 'sf-named-credential' })
        .setIssuer(overrides.iss ?? 'salesforce-org-00D000000000001')
        .setAudience(overrides.aud ?? 'https://prechat-guard.example.com')
        .setSubject('bot-user')
        .setIssuedAt(NOW_S)
        .setNotBefore(NOW_S)
        .setExpirationTime(overrides.exp ?? NOW_S + 120)
        .sign(sfKey.privateKey);
    }

    it('accepts a valid External Credential JWT as the caller credential', async () => {
      const { status, body } = await verify(service.app, { token: mint(key) }, await callerJwt());
      expect(status).toBe(200);
      expect(body.valid).toBe(true);
    });

    it.each([
      ['an unknown kid', { kid: 'other' }],
      ['a wrong issuer', { iss: 'someone' }],
      ['a wrong audience', { aud: 'https://elsewhere' }],
      ['an expired JWT', { exp: NOW_S - 60 }],
    ])('401 for %s', async (_name, overrides) => {
      const { status } = await verify(service.app, { token: mint(key) }, await callerJwt(overrides));
      expect(status).toBe(401);
    });

    it('reloads the caller trust folder: a removed certificate stops authenticating within seconds, a new one is accepted', async () => {
      const dir = trustDirWith([sfKey]);
      const watched = await buildApp({
        config: loadConfig({
          NODE_ENV: 'production',
          PRECHAT_GUARD_TRUST_DIR: trustDir,
          PRECHAT_GUARD_ISSUER: ISSUER,
          PRECHAT_GUARD_CALLER_JWT_TRUST_DIR: dir,
          PRECHAT_GUARD_CALLER_JWT_ISSUER: 'salesforce-org-00D000000000001',
          PRECHAT_GUARD_CALLER_JWT_AUDIENCE: 'https://prechat-guard.example.com',
        }),
        now: () => NOW_MS,
        logger: false,
      });
      try {
        const jwt = await callerJwt(); // the same JWT throughout: an accepted one must not outlive its certificate
        expect((await verify(watched, { token: mint(key) }, jwt)).status).toBe(200);
        unlinkSync(path.join(dir, `${sfKey.kid}.crt`));
        await waitForStatus(() => verify(watched, { token: mint(key) }, jwt), 401);
        writeFileSync(path.join(dir, `${sfKey.kid}.crt`), sfKey.certPem);
        await waitForStatus(() => verify(watched, { token: mint(key) }, jwt), 200);
      } finally {
        await watched.close();
        removeDir(dir);
      }
    });

    it('still checks a Named Credential JWT from an address that made-up keys have used up (it cannot be guessed)', async () => {
      // Salesforce callouts leave from addresses shared by many orgs: a neighbour guessing API keys must not lock a
      // Named Credential caller out, and a signed JWT teaches a guesser nothing about API keys.
      await service.close();
      service = await testApp({
        NODE_ENV: 'production',
        PRECHAT_GUARD_TRUST_DIR: trustDir,
        PRECHAT_GUARD_ISSUER: ISSUER,
        PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
        PRECHAT_GUARD_CALLER_JWT_TRUST_DIR: callerDir,
        PRECHAT_GUARD_CALLER_JWT_ISSUER: 'salesforce-org-00D000000000001',
        PRECHAT_GUARD_CALLER_JWT_AUDIENCE: 'https://prechat-guard.example.com',
        PRECHAT_GUARD_RATE_LIMIT_PER_MIN: '2',
      });
      const from = async (credential: string) =>
        (
          await service.app.inject({
            method: 'POST',
            url: '/v1/verify',
            remoteAddress: '192.0.2.10',
            headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
            payload: JSON.stringify({ token: mint(key) }),
          })
        ).statusCode;
      const guesses = [await from('guess-0-0123456789abcdef'), await from('guess-1-0123456789abcdef')];
      expect([...guesses, await from('guess-2-0123456789abcdef')]).toEqual([401, 401, 429]);
      expect(await from(CALLER_KEY)).toBe(429); // API keys are not checked from that address this minute
      expect(await from(await callerJwt())).toBe(200);
      expect(await from(await callerJwt({ kid: 'other' }))).toBe(429); // a failed JWT is still a failed attempt
    });

    it('does not accept an API key when only JWT callers are configured', async () => {
      expect((await verify(service.app, { token: mint(key) }, CALLER_KEY)).status).toBe(401);
    });
  });
});

describe('binding store failures fail closed', () => {
  class BrokenStore implements BindingStore {
    readonly kind = 'redis' as const;
    async get(): Promise<null> {
      throw new StoreUnavailableError('down');
    }
    async bindIfAbsent(): Promise<never> {
      throw new StoreUnavailableError('down');
    }
    async ping() {
      return false;
    }
    async close() {}
  }

  it('503, never valid, when the store does not answer', async () => {
    await service.close();
    service = await testApp(productionEnv(trustDir), { bindings: new BrokenStore() });
    for (const body of [{ token: mint(key), sessionKey: 'chat-1' }, { token: mint(key) }]) {
      const result = await verify(service.app, body);
      expect(result.status).toBe(503);
      expect(result.body).toEqual({ error: 'store_unavailable', detail: expect.any(String) });
    }
    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
  });

  it('503 when the in-process store is full of live bindings (it never evicts a live one)', async () => {
    await service.close();
    service = await testApp(productionEnv(trustDir), { bindings: new MemoryBindingStore(1) });
    expect((await verify(service.app, { token: mint(key), sessionKey: 'a' })).body).toMatchObject({ binding: 'new' });
    expect((await verify(service.app, { token: mint(key), sessionKey: 'b' })).status).toBe(503);
  });
});

describe('legacy v1 (opt-in)', () => {
  const legacyToken = (id: string, signer = key) =>
    sign('sha256', Buffer.from(id, 'utf8'), signer.privateKey).toString('base64');

  beforeEach(async () => {
    await service.close();
    service = await testApp(productionEnv(trustDir, { PRECHAT_GUARD_LEGACY: 'accept' }));
  });

  it('accepts the blog format for the id as signed and for its other form', async () => {
    for (const [signed, sent] of [
      [USER_18, USER_18],
      [USER_18, USER_15],
      [USER_15, USER_18],
    ]) {
      const { body } = await verify(service.app, { token: legacyToken(signed!), userId: sent, sessionKey: 'chat-1' });
      expect(body).toEqual({
        valid: true,
        legacy: true,
        userId: USER_18,
        issuer: null,
        tokenId: null,
        expiresAt: null,
        binding: 'none',
        claims: {},
      });
    }
  });

  it('answers bad_signature for another user, a foreign key, or an expired certificate', async () => {
    expect((await verify(service.app, { token: legacyToken(USER_18), userId: OTHER_USER_18 })).body.reason).toBe(
      'bad_signature',
    );
    expect((await verify(service.app, { token: legacyToken(USER_18, foreignKey), userId: USER_18 })).body.reason).toBe(
      'bad_signature',
    );
    expect((await verify(service.app, { token: legacyToken(USER_18, expiredKey), userId: USER_18 })).body.reason).toBe(
      'bad_signature',
    );
  });

  it('answers malformed for a userId that is not a user id', async () => {
    expect((await verify(service.app, { token: legacyToken('hello'), userId: 'hello' })).body.reason).toBe('malformed');
  });
});

describe('trust store changes', () => {
  it('a token signed by a removed key fails with unknown_key, after a reload', async () => {
    const dir = trustDirWith([key]);
    await service.close();
    service = await testApp(productionEnv(dir));
    const token = mint(key);
    expect((await verify(service.app, { token })).body.valid).toBe(true);
    unlinkSync(path.join(dir, `${key.kid}.crt`));
    service.app.prechatGuard.trustStore.reload();
    expect((await verify(service.app, { token })).body.reason).toBe('unknown_key');
    writeFileSync(path.join(dir, `${key.kid}.crt`), key.certPem);
    service.app.prechatGuard.trustStore.reload();
    expect((await verify(service.app, { token })).body.valid).toBe(true);
    removeDir(dir);
  });
});

/** Polls until the request answers the status (within the few seconds a folder change may take to be seen). */
async function waitForStatus(request: () => Promise<{ status: number }>, status: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await request()).status;
    if (last === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${status} within ${timeoutMs} ms, still ${last}`);
}
