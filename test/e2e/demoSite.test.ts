// The demo site over real loopback sockets, without a browser: the Apex stand-in mints tokens in the contract's exact
// format, the simulated bot asks the real service the way the Apex action does, and the caller key never leaves the
// server. Runs everywhere (no Chromium needed).
import { readFileSync } from 'node:fs';
import { snippetSettingsFile } from '../../scripts/demo/build';
import { DEMO_USERS } from '../../scripts/demo/site/users';
import { ServiceClient, parseAnswer } from '../../scripts/demo/site/serviceClient';
import { SiteClient, startTestStack, type TestStack } from './support/demoStack';

const [ada, grace] = DEMO_USERS as [(typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0]];

interface Identity {
  loggedIn: boolean;
  userId: string | null;
  token: string | null;
  expiresAt: string | null;
  firstName: string | null;
}

interface Turn {
  chatId: string;
  objectName: string;
  reply: string;
  exchange: { request: Record<string, string>; status: number; response: Record<string, unknown> } | null;
  verification: { verified: boolean; userId: string | null; reason: string | null; binding: string | null };
}

function decode(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('utf8');
}

describe('demo site', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ build: false });
  }, 30_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function signedIn(user = ada): Promise<{ site: SiteClient; identity: Identity }> {
    const site = new SiteClient(stack.url);
    expect((await site.post('/demo/api/login', { userId: user.id })).status).toBe(200);
    const { status, body } = await site.post<Identity>('/demo/api/identity', {});
    expect(status).toBe(200);
    return { site, identity: body };
  }

  test('guests get the Apex guest answer: loggedIn false and nothing else', async () => {
    const site = new SiteClient(stack.url);
    const { body } = await site.post<Identity>('/demo/api/identity', {});
    expect(body).toEqual({ loggedIn: false, userId: null, token: null, expiresAt: null, firstName: null });
  });

  test("the page carries the session's @salesforce/user/isGuest: true before sign-in, false after", async () => {
    const isGuestOf = (html: string) => /<meta name="prechat-guard-demo-is-guest" content="(\w+)"/.exec(html)?.[1];
    const site = new SiteClient(stack.url);
    expect(isGuestOf((await site.get('/')).text)).toBe('true');

    await site.post('/demo/api/login', { userId: ada.id });
    expect(isGuestOf((await site.get('/')).text)).toBe('false');

    await site.post('/demo/api/logout', {});
    expect(isGuestOf((await site.get('/')).text)).toBe('true');
  });

  test('serves the legacy snippet settings file exactly as the static resource is deployed', async () => {
    const page = await new SiteClient(stack.url).get('/resource/PrechatGuardSnippetSettings');
    expect(page.status).toBe(200);
    expect(page.text).toBe(readFileSync(snippetSettingsFile(), 'utf8'));
  });

  test('signed-in users get a token in the issuer contract format', async () => {
    const { identity } = await signedIn();
    expect(identity).toMatchObject({ loggedIn: true, userId: ada.id, firstName: 'Ada' });
    const [header, payload, signature] = identity.token!.split('.') as [string, string, string];
    expect(decode(header)).toBe('{"alg":"RS256","typ":"JWT","kid":"prechat-guard-dev"}');
    const claims = JSON.parse(decode(payload)) as Record<string, unknown>;
    expect(Object.keys(claims)).toEqual([
      'iss',
      'sub',
      'aud',
      'iat',
      'nbf',
      'exp',
      'jti',
      'contact_id',
      'account_id',
      'network_id',
      'locale',
    ]);
    expect(claims).toMatchObject({
      iss: 'prechat-guard-dev',
      sub: ada.id,
      aud: 'prechat-guard',
      contact_id: ada.contactId,
    });
    expect(claims.exp).toBe((claims.iat as number) + 300);
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(identity.expiresAt).toBe(new Date((claims.exp as number) * 1000).toISOString());
    expect(signature).toHaveLength(342);
    expect(identity.token!.length).toBeLessThan(1000);
  });

  test('the bot verifies a chat with the record id as session key, then refuses the same token elsewhere', async () => {
    const { site, identity } = await signedIn();
    const first = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: identity.token,
    });
    expect(first.body.verification).toMatchObject({ verified: true, userId: ada.id, binding: 'new' });
    expect(first.body.chatId).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(first.body.exchange?.request).toMatchObject({ userId: ada.id, sessionKey: first.body.chatId });
    expect(first.body.exchange?.request.token).not.toBe(identity.token);
    expect(first.body.reply).toContain('Hi Ada!');

    const again = await site.post<Turn>(`/demo/api/chats/${first.body.chatId}/messages`, { text: 'my cases' });
    expect(again.body.verification).toMatchObject({ verified: true, binding: 'same-session' });

    const replay = await site.post<Turn>('/demo/api/chats', {
      channel: 'legacy',
      userId: ada.id,
      token: identity.token,
    });
    expect(replay.body.chatId).toMatch(/^570[0-9A-Za-z]{15}$/);
    expect(replay.body.verification).toMatchObject({ verified: false, reason: 'replayed' });
    expect(replay.body.reply).not.toContain('Ada');
  });

  test('no token: no_token without calling the service; another user id: user_mismatch', async () => {
    const { site, identity } = await signedIn();
    const guest = await site.post<Turn>('/demo/api/chats', { channel: 'enhanced', userId: null, token: null });
    expect(guest.body.verification).toMatchObject({ verified: false, reason: 'no_token' });
    expect(guest.body.exchange).toBeNull();

    const mismatch = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: grace.id,
      token: identity.token,
    });
    expect(mismatch.body.verification).toMatchObject({ verified: false, reason: 'user_mismatch' });
    expect(mismatch.body.reply).not.toMatch(/Grace|Ada/);
  });

  test("the attacker's foreign key gives unknown_key; the org clock moved past exp gives expired", async () => {
    const { site, identity } = await signedIn(grace);
    const { body: foreign } = await site.post<{ token: string }>('/demo/api/attacker/foreign-token', {
      userId: ada.id,
    });
    expect(decode(foreign.token.split('.')[0]!)).toBe('{"alg":"RS256","typ":"JWT","kid":"attacker-key"}');
    const forged = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: foreign.token,
    });
    expect(forged.body.verification).toMatchObject({ verified: false, reason: 'unknown_key' });

    const advanced = await site.post<{ clockOffsetSeconds: number }>('/demo/api/clock/advance', { seconds: 360 });
    expect(advanced.body.clockOffsetSeconds).toBe(360);
    const late = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: grace.id,
      token: identity.token,
    });
    expect(late.body.verification).toMatchObject({ verified: false, reason: 'expired' });
    // A token minted after the jump is fine again: the org and the service share the clock.
    const fresh = (await site.post<Identity>('/demo/api/identity', {})).body;
    const ok = await site.post<Turn>('/demo/api/chats', { channel: 'enhanced', userId: grace.id, token: fresh.token });
    expect(ok.body.verification).toMatchObject({ verified: true, userId: grace.id });
  });

  test('renewing a chat identity needs a token for the same user', async () => {
    const { site, identity } = await signedIn();
    const chat = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: identity.token,
    });
    const renewed = (await site.post<Identity>('/demo/api/identity', {})).body;
    const ok = await site.post<Turn>(`/demo/api/chats/${chat.body.chatId}/identity-token`, { token: renewed.token });
    expect(ok.body.verification).toMatchObject({ verified: true, userId: ada.id, binding: 'new' });

    const other = (await signedIn(grace)).identity;
    const refused = await site.post<Turn>(`/demo/api/chats/${chat.body.chatId}/identity-token`, { token: other.token });
    expect(refused.body.verification).toMatchObject({ verified: false, reason: 'user_mismatch' });
  });

  test('requests are checked: JSON only, known users, bounded clock jumps, existing chats', async () => {
    const site = new SiteClient(stack.url);
    expect((await site.post('/demo/api/login', { userId: ada.id }, 'text/plain')).body).toMatchObject({
      error: 'unsupported_media_type',
    });
    expect(await site.post('/demo/api/login', { userId: '005000000000000' })).toMatchObject({
      status: 400,
      body: { error: 'unknown_user' },
    });
    expect(await site.post('/demo/api/clock/advance', { seconds: 0 })).toMatchObject({ status: 400 });
    expect(await site.post('/demo/api/clock/advance', { seconds: 3601 })).toMatchObject({ status: 400 });
    expect(await site.post('/demo/api/chats', { channel: 'sms' })).toMatchObject({ status: 400 });
    expect(await site.post('/demo/api/chats/0Mw000000000000AAA/messages', { text: 'hi' })).toMatchObject({
      status: 404,
      body: { error: 'chat_not_found' },
    });
  });

  test('the caller key stays on the server', async () => {
    const callerKey = stack.service.prechatGuard.dev!.callerKey;
    const { site, identity } = await signedIn();
    const chat = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: identity.token,
    });
    const pages = [await site.get('/'), await site.get('/demo/api/state')];
    for (const text of [...pages.map((p) => p.text), JSON.stringify(identity), JSON.stringify(chat.body)]) {
      expect(text).not.toContain(callerKey);
    }
  });
});

describe('the bot verifier client (as PrechatGuardVerifierClient)', () => {
  test('an unreachable service is service_unavailable, not an exception', async () => {
    const client = new ServiceClient('http://127.0.0.1:9', 'a-caller-key-for-nobody');
    const { result, exchange } = await client.verify('a.b.c', null, null);
    expect(result).toMatchObject({ verified: false, reason: 'service_unavailable' });
    expect(exchange.status).toBeNull();
  });

  test('answers outside the contract are service_unavailable; a different verified user is user_mismatch', () => {
    expect(parseAnswer({ valid: 'yes' }, null).reason).toBe('service_unavailable');
    expect(parseAnswer({ valid: false }, null).reason).toBe('service_unavailable');
    expect(parseAnswer({ valid: true, userId: '003000000000000AAA' }, null).reason).toBe('service_unavailable');
    expect(parseAnswer({ valid: true, userId: ada.id }, grace.id).reason).toBe('user_mismatch');
    expect(parseAnswer({ valid: true, userId: ada.id, binding: 'new' }, ada.id.slice(0, 15))).toMatchObject({
      verified: true,
      userId: ada.id,
      binding: 'new',
    });
  });
});
