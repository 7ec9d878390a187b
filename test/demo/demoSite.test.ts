// The demo site over real loopback sockets, without a browser: the Apex stand-in mints tokens in the contract's exact
// format, the simulated bot asks the real service the way the Apex action does, and the caller key never leaves the
// server. Runs everywhere (no Chromium needed).
import { readFileSync } from 'node:fs';
import { snippetSettingsFile } from '../../demo/build';
import { DEMO_USERS } from '../../demo/site/users';
import { ServiceClient, parseAnswer } from '../../demo/site/serviceClient';
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
  conversationId: string | null;
  status: string;
  action: {
    chatRecordId: string;
    filledBy: string;
    askedFor: string | null;
    status: string | null;
    sessionKey: string | null;
    tokenFrom: string | null;
  };
  reply: string;
  exchange: { request: Record<string, string>; status: number; response: Record<string, unknown> } | null;
  verification: { verified: boolean; userId: string | null; reason: string | null; binding: string | null };
}

interface VictimChat {
  chatId: string;
  conversationId: string;
  status: string;
  verified: boolean;
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

  test('the bot verifies a chat with the conversation id as session key, then refuses the same token elsewhere', async () => {
    const { site, identity } = await signedIn();
    const first = await site.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: identity.token,
    });
    expect(first.body.verification).toMatchObject({ verified: true, userId: ada.id, binding: 'new' });
    expect(first.body.chatId).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(first.body.conversationId).toMatch(/^0dw[0-9A-Za-z]{15}$/);
    expect(first.body.status).toBe('Active');
    expect(first.body.exchange?.request).toMatchObject({ userId: ada.id, sessionKey: first.body.conversationId });
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
    // A legacy transcript has no conversation: its own id is the session key.
    expect(replay.body.conversationId).toBeNull();
    expect(replay.body.exchange?.request).toMatchObject({ sessionKey: replay.body.chatId });
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

  test('a follow-up session of the same conversation carries the token forward: same-session, same user', async () => {
    const { site, identity } = await signedIn();
    const first = (
      await site.post<Turn>('/demo/api/chats', { channel: 'enhanced', userId: ada.id, token: identity.token })
    ).body;
    expect((await site.post(`/demo/api/chats/${first.chatId}/follow-up`, {})).body).toMatchObject({
      error: 'session_active',
    });
    expect((await site.post(`/demo/api/chats/${first.chatId}/end`, {})).body).toMatchObject({ status: 'Ended' });
    // The ended session no longer takes messages: the platform opens a new session instead.
    expect((await site.post(`/demo/api/chats/${first.chatId}/messages`, { text: 'hi' })).status).toBe(404);

    const next = (await site.post<Turn>(`/demo/api/chats/${first.chatId}/follow-up`, {})).body;
    expect(next.chatId).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(next.chatId).not.toBe(first.chatId);
    expect(next).toMatchObject({ conversationId: first.conversationId, status: 'Active' });
    expect(next.action).toMatchObject({ chatRecordId: next.chatId, tokenFrom: first.chatId });
    expect(next.verification).toMatchObject({ verified: true, userId: ada.id, binding: 'same-session' });
    expect(next.exchange?.request).toMatchObject({ sessionKey: first.conversationId, userId: ada.id });
    expect(next.reply).toContain('Welcome back, Ada!');
    // Only the conversation's newest session can be written to again.
    expect((await site.post(`/demo/api/chats/${first.chatId}/follow-up`, {})).body).toMatchObject({
      error: 'not_latest_session',
    });
    const again = await site.post<Turn>(`/demo/api/chats/${next.chatId}/messages`, { text: 'my cases' });
    expect(again.body.verification).toMatchObject({ verified: true, userId: ada.id, binding: 'same-session' });
  });

  test("a chat id named in the conversation: bound input → the visitor's own chat; agent-filled → the other chat", async () => {
    const { site, identity } = await signedIn();
    const own = (
      await site.post<Turn>('/demo/api/chats', { channel: 'enhanced', userId: ada.id, token: identity.token })
    ).body;
    const victim = (await site.post<VictimChat>('/demo/api/victim/chat', { userId: grace.id, status: 'Active' })).body;
    expect(victim).toMatchObject({ status: 'Active', verified: true });
    const text = `Look up chat ${victim.chatId} for me`;

    const bound = (await site.post<Turn>(`/demo/api/chats/${own.chatId}/messages`, { text })).body;
    expect(bound.action).toMatchObject({
      chatRecordId: own.chatId,
      filledBy: 'context-variable',
      askedFor: victim.chatId,
    });
    expect(bound.verification).toMatchObject({ verified: true, userId: ada.id });
    expect(bound.reply).not.toContain('Grace');

    const agent = (
      await site.post<Turn>(`/demo/api/chats/${own.chatId}/messages`, { text, chatRecordIdInput: 'agent' })
    ).body;
    expect(agent.action).toMatchObject({ chatRecordId: victim.chatId, filledBy: 'agent' });
    expect(agent.verification).toMatchObject({ verified: true, userId: grace.id, binding: 'same-session' });
    expect(agent.exchange?.request).toMatchObject({ sessionKey: victim.conversationId, userId: grace.id });

    // An Ended chat is refused before any call to the service.
    const ended = (await site.post<VictimChat>('/demo/api/victim/chat', { userId: grace.id, status: 'Ended' })).body;
    const late = (
      await site.post<Turn>(`/demo/api/chats/${own.chatId}/messages`, {
        text: `Look up chat ${ended.chatId.slice(0, 15)}`,
        chatRecordIdInput: 'agent',
      })
    ).body;
    expect(late.action).toMatchObject({ chatRecordId: ended.chatId, status: 'Ended' });
    expect(late.verification).toMatchObject({ verified: false, reason: 'chat_not_active' });
    expect(late.exchange).toBeNull();

    const missing = (
      await site.post<Turn>(`/demo/api/chats/${own.chatId}/messages`, {
        text: 'Look up chat 0Mw000000000001',
        chatRecordIdInput: 'agent',
      })
    ).body;
    expect(missing.verification).toMatchObject({ verified: false, reason: 'invalid_input' });
    expect(missing.exchange).toBeNull();
    expect(
      (await site.post(`/demo/api/chats/${own.chatId}/messages`, { text: 'hi', chatRecordIdInput: 'model' })).status,
    ).toBe(400);
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

  test('a clock jump belongs to one browser session: other visitors stay at real time, a new session starts at now', async () => {
    const { site: jumper, identity } = await signedIn(grace);
    const { site: bystander, identity: theirs } = await signedIn(ada);
    expect((await jumper.post('/demo/api/clock/advance', { seconds: 360 })).body).toEqual({ clockOffsetSeconds: 360 });
    const state = async (client: SiteClient) =>
      JSON.parse((await client.get('/demo/api/state')).text) as Record<string, unknown>;
    expect(await state(jumper)).toMatchObject({ clockOffsetSeconds: 360 });
    expect(await state(bystander)).toMatchObject({ clockOffsetSeconds: 0 });
    // The bystander's token is still good; the jumper's own token expired at their clock.
    const ok = await bystander.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: ada.id,
      token: theirs.token,
    });
    expect(ok.body.verification).toMatchObject({ verified: true, userId: ada.id });
    const late = await jumper.post<Turn>('/demo/api/chats', {
      channel: 'enhanced',
      userId: grace.id,
      token: identity.token,
    });
    expect(late.body.verification).toMatchObject({ verified: false, reason: 'expired' });
    // A guest's jump gets a session of its own; logging out ends the jump with the session.
    const guest = new SiteClient(stack.url);
    expect((await guest.post('/demo/api/clock/advance', { seconds: 60 })).body).toEqual({ clockOffsetSeconds: 60 });
    expect(await state(guest)).toMatchObject({ clockOffsetSeconds: 60, user: null });
    await jumper.post('/demo/api/logout', {});
    expect(await state(jumper)).toMatchObject({ clockOffsetSeconds: 0 });
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
