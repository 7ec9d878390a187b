// The demo site: the page and its bundle, the Apex stand-in endpoint (mints a token with the service's dev key exactly
// as PrechatGuardTokenIssuer would), the simulated org's chat desk and bot, another customer's chat for the chat-id
// attack, and the attacker's tools. It holds the service's caller key; the page never sees it.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { mintIdentityToken, DEFAULT_TTL_SECONDS } from '../../server/src/tokens/mint';
import { toUserId18 } from '../../server/src/tokens/salesforceId';
import {
  CHAT_RECORD_ID_INPUTS,
  ChatDesk,
  ChatNotFoundError,
  ChatStateError,
  type ChatChannel,
  type ChatRecordIdInput,
} from './chats';
import { MAX_ADVANCE_SECONDS, type DemoClock } from './clock';
import { ServiceClient } from './serviceClient';
import { SiteSessions, expiredSessionCookie, sessionCookie } from './sessions';
import { DEMO_NETWORK_ID, DEMO_USERS, findUser, type DemoUser } from './users';

/** The signing material the org would hold (here: the service's development key). */
export interface IssuerMaterial {
  privateKey: KeyObject;
  kid: string;
  issuer: string;
  audience: string;
}

export interface DemoSiteOptions {
  issuer: IssuerMaterial;
  serviceUrl: string;
  callerKey: string;
  clock: DemoClock;
  /** Folder with index.html and demo.css. */
  webDir: string;
  /** Folder with the built app.js. */
  bundleDir: string;
  /** Identity token lifetime, as the custom metadata setting Token_TTL_Seconds__c (default 300). */
  tokenTtlSeconds?: number;
  /** The legacy snippet settings file (the project's static resource), served at SNIPPET_SETTINGS_PATH. */
  snippetSettingsFile: string;
}

/** Where a site serves a static resource by name, as Salesforce does (`/resource/<name>`). */
export const SNIPPET_SETTINGS_PATH = '/resource/PrechatGuardSnippetSettings';

/** The kid of the attacker's own key: a name the service does not trust. */
export const FOREIGN_KID = 'attacker-key';
const MAX_TEXT = 8192;

class DemoError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

function field(body: unknown, name: string, required: true): string;
function field(body: unknown, name: string, required: false): string | null;
function field(body: unknown, name: string, required: boolean): string | null {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) {
    if (required) throw new DemoError(400, 'missing_field', `"${name}" is required.`);
    return null;
  }
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    throw new DemoError(400, 'invalid_field', `"${name}" must be a string of at most ${MAX_TEXT} characters.`);
  }
  return value;
}

export async function buildDemoSite(options: DemoSiteOptions): Promise<FastifyInstance> {
  const { clock, issuer } = options;
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const sessions = new SiteSessions();
  const desk = new ChatDesk(new ServiceClient(options.serviceUrl, options.callerKey));
  // The attacker's key: a perfectly good RSA key, just not one the service trusts.
  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const page = readFileSync(path.join(options.webDir, 'index.html'), 'utf8');
  const currentUser = (request: FastifyRequest) => findUser(sessions.userIdOf(request.headers.cookie));
  const css = readFileSync(path.join(options.webDir, 'demo.css'), 'utf8');
  // As PrechatGuardTokenIssuer mints for the running user.
  const sessionOf = (request: FastifyRequest) => sessions.idOf(request.headers.cookie);
  /** Calls to the service on behalf of this request's browser session, at that session's clock. */
  const atSessionClock = <T>(request: FastifyRequest, work: () => Promise<T>) => clock.during(sessionOf(request), work);
  const mintFor = (user: DemoUser, session: string | null) =>
    mintIdentityToken({
      privateKey: issuer.privateKey,
      kid: issuer.kid,
      issuer: issuer.issuer,
      audience: issuer.audience,
      userId: user.id,
      nowSeconds: Math.floor(clock.nowFor(session) / 1000),
      ttlSeconds: ttl,
      contactId: user.contactId,
      accountId: user.accountId,
      networkId: DEMO_NETWORK_ID,
      locale: user.locale,
    });

  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 });

  // Only JSON posts: a cross-site form cannot send application/json without a CORS preflight, which this site refuses.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'POST' && !/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      throw new DemoError(415, 'unsupported_media_type', 'Send JSON (content-type: application/json).');
    }
  });
  app.setErrorHandler((error: Error, _request, reply) => {
    if (error instanceof DemoError) return reply.code(error.status).send({ error: error.code, detail: error.message });
    if (error instanceof ChatNotFoundError) return reply.code(404).send({ error: error.code, detail: error.message });
    if (error instanceof ChatStateError) return reply.code(409).send({ error: error.code, detail: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(400).send({ error: 'bad_request', detail: 'The request could not be read.' });
    }
    process.stderr.write(`demo: internal error: ${error.message}\n`);
    return reply.code(500).send({ error: 'internal_error', detail: 'The demo site failed; see its console.' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found', detail: 'No such page.' }));

  const securityHeaders = (reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
      );

  // The page carries the session's @salesforce/user/isGuest, as a site's page does: fixed until the next page load.
  app.get('/', async (request, reply) =>
    securityHeaders(reply)
      .type('text/html; charset=utf-8')
      .send(page.replace('{{isGuest}}', String(!currentUser(request)))),
  );
  // Browsers ask for it unprompted; an empty answer keeps the console clean.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  app.get('/demo.css', async (_request, reply) => securityHeaders(reply).type('text/css; charset=utf-8').send(css));
  // The static resource exactly as it is deployed; read per request so an edit shows up on reload.
  app.get(SNIPPET_SETTINGS_PATH, async (_request, reply) =>
    securityHeaders(reply)
      .type('text/javascript; charset=utf-8')
      .send(readFileSync(options.snippetSettingsFile, 'utf8')),
  );
  for (const file of ['app.js', 'app.js.map']) {
    app.get(`/${file}`, async (_request, reply) =>
      securityHeaders(reply)
        .type(file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8')
        // Read per request so a rebuild shows up on reload.
        .send(readFileSync(path.join(options.bundleDir, file), 'utf8')),
    );
  }

  app.get('/demo/api/state', async (request) => {
    const user = currentUser(request);
    return {
      user: user ? { id: user.id, firstName: user.firstName, lastName: user.lastName } : null,
      users: DEMO_USERS.map(({ id, firstName, lastName }) => ({ id, firstName, lastName })),
      clockOffsetSeconds: clock.offsetSecondsOf(sessionOf(request)),
      tokenTtlSeconds: ttl,
    };
  });

  app.post('/demo/api/login', async (request, reply) => {
    const user = findUser(field(request.body, 'userId', true));
    if (!user) throw new DemoError(400, 'unknown_user', 'Pick one of the demo users.');
    const previous = sessionOf(request);
    sessions.close(request.headers.cookie);
    const sid = sessions.open(user.id);
    clock.move(previous, sid);
    reply.header('set-cookie', sessionCookie(sid));
    return { user: { id: user.id, firstName: user.firstName, lastName: user.lastName } };
  });

  app.post('/demo/api/logout', async (request, reply) => {
    clock.forget(sessionOf(request));
    sessions.close(request.headers.cookie);
    reply.header('set-cookie', expiredSessionCookie());
    return { user: null };
  });

  // Stand-in for PrechatGuardIdentityController.getIdentity: guests get nothing; users get a token for themselves.
  app.post('/demo/api/identity', async (request) => {
    const user = currentUser(request);
    if (!user) return { loggedIn: false, userId: null, token: null, expiresAt: null, firstName: null };
    const minted = mintFor(user, sessionOf(request));
    return {
      loggedIn: true,
      userId: user.id,
      token: minted.token,
      expiresAt: new Date(minted.expiresAt * 1000).toISOString(),
      firstName: user.firstName,
    };
  });

  app.post('/demo/api/chats', async (request) => {
    const channel = field(request.body, 'channel', true);
    if (channel !== 'enhanced' && channel !== 'legacy') {
      throw new DemoError(400, 'invalid_field', '"channel" must be "enhanced" or "legacy".');
    }
    const userId = field(request.body, 'userId', false);
    const token = field(request.body, 'token', false);
    return atSessionClock(request, () => desk.start(channel as ChatChannel, userId, token));
  });

  // chatRecordIdInput: how the admin set up the actions' Chat Record Id input. In an org that is the agent's metadata,
  // never the visitor's choice; the demo page lets the reader switch it to show what the misconfiguration allows.
  app.post<{ Params: { id: string } }>('/demo/api/chats/:id/messages', async (request) => {
    const input = field(request.body, 'chatRecordIdInput', false) ?? 'context-variable';
    if (!CHAT_RECORD_ID_INPUTS.includes(input as ChatRecordIdInput)) {
      throw new DemoError(400, 'invalid_field', `"chatRecordIdInput" must be ${CHAT_RECORD_ID_INPUTS.join(' or ')}.`);
    }
    const text = field(request.body, 'text', true);
    return atSessionClock(request, () => desk.reply(request.params.id, text, input as ChatRecordIdInput));
  });

  // The customer writes again after the session ended: a new MessagingSession in the same conversation.
  app.post<{ Params: { id: string } }>('/demo/api/chats/:id/follow-up', async (request) =>
    atSessionClock(request, () => desk.followUp(request.params.id)),
  );

  app.post<{ Params: { id: string } }>('/demo/api/chats/:id/identity-token', async (request) => {
    const token = field(request.body, 'token', true);
    return atSessionClock(request, () => desk.renewIdentity(request.params.id, token));
  });

  app.post<{ Params: { id: string } }>('/demo/api/chats/:id/end', async (request) => ({
    ended: true,
    ...desk.end(request.params.id),
  }));

  // Another customer's own, legitimate Enhanced Chat, as if started in their browser: signed in, a token from the org's
  // key, verified (so the token is bound to their conversation), and left Active or ended. The attacker learns only
  // its record id (ids are sequential in an org); the victim's token never leaves the server.
  app.post('/demo/api/victim/chat', async (request) => {
    const victim = findUser(field(request.body, 'userId', true));
    if (!victim) throw new DemoError(400, 'unknown_user', 'Pick one of the demo users.');
    const status = field(request.body, 'status', false) ?? 'Active';
    if (status !== 'Active' && status !== 'Ended') {
      throw new DemoError(400, 'invalid_field', '"status" must be "Active" or "Ended".');
    }
    // The victim's own browser, at real time: the attacker's clock jump is not theirs.
    const minted = mintFor(victim, null);
    const turn = await clock.during(null, () => desk.start('enhanced', victim.id, minted.token));
    if (status === 'Ended') desk.end(turn.chatId);
    return {
      chatId: turn.chatId,
      conversationId: turn.conversationId,
      status,
      firstName: victim.firstName,
      verified: turn.verification.verified,
    };
  });

  // The attacker signs a token for any user with their own key: every claim right, the key unknown to the service.
  app.post('/demo/api/attacker/foreign-token', async (request) => {
    const userId = toUserId18(field(request.body, 'userId', true));
    if (userId === null) throw new DemoError(400, 'invalid_field', '"userId" must be a Salesforce user id.');
    const minted = mintIdentityToken({
      privateKey: foreignKey,
      kid: FOREIGN_KID,
      issuer: issuer.issuer,
      audience: issuer.audience,
      userId,
      nowSeconds: Math.floor(clock.nowFor(sessionOf(request)) / 1000),
      ttlSeconds: ttl,
    });
    return { token: minted.token };
  });

  // Per browser session: a guest without one gets a guest session, so that the jump has somewhere to live.
  app.post('/demo/api/clock/advance', async (request, reply) => {
    const seconds = (request.body as Record<string, unknown> | null)?.seconds;
    if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
      throw new DemoError(400, 'invalid_field', `"seconds" must be a whole number from 1 to ${MAX_ADVANCE_SECONDS}.`);
    }
    let session = sessionOf(request);
    if (session === null) {
      session = sessions.open(null);
      reply.header('set-cookie', sessionCookie(session));
    }
    clock.advance(session, seconds);
    return { clockOffsetSeconds: clock.offsetSecondsOf(session) };
  });

  await app.ready();
  return app;
}
