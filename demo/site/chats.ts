// The simulated org's chat records and bot. A chat starts with the values the browser sent (Enhanced Chat hidden
// pre-chat fields, or legacy extra pre-chat values), stored as MessagingSession / LiveChatTranscript fields the way the
// Omni-Channel flow or the snippet settings map them. The bot then does what PrechatGuardChatVerification does with the
// record its action's Chat Record Id input names:
//   - the input is the chat's own id when the admin bound it to the RoutableId context variable (as documented); left
//     to the agent, the language model fills it from the conversation, so a visitor can name another customer's chat;
//   - a MessagingSession whose Status is not Active → chat_not_active, without calling the service;
//   - a MessagingSession without a token takes the token of the newest other session of the SAME conversation and the
//     SAME end user (Enhanced Chat opens a new session when a customer writes again, without the hidden values);
//   - no token → no_token; otherwise ask the service with the session key — the conversation id (legacy transcripts:
//     the record id) — and trust only the verified id.
import { randomInt } from 'node:crypto';
import { toId18 } from '../../server/src/tokens/salesforceId';
import { refused, type ServiceClient, type VerifierResult, type VerifyExchange } from './serviceClient';
import { findUser } from './users';

export type ChatChannel = 'enhanced' | 'legacy';
/** MessagingSession.Status values the demo uses (an org has more: Waiting, Paused, Inactive…; all but Active refused). */
export type ChatStatus = 'Active' | 'Ended';
/**
 * How the admin set up the actions' Chat Record Id input: bound to the RoutableId context variable (as the install
 * guide says), or left to the agent, which fills it from the conversation (the misconfiguration `org doctor` reports).
 */
export type ChatRecordIdInput = 'context-variable' | 'agent';
export const CHAT_RECORD_ID_INPUTS: readonly ChatRecordIdInput[] = ['context-variable', 'agent'];

export interface ChatRecord {
  /** 18-character record id: MessagingSession (0Mw) or LiveChatTranscript (570). */
  id: string;
  objectName: 'MessagingSession' | 'LiveChatTranscript';
  /** PrechatGuard_User_Id__c as the browser sent it. */
  userId: string | null;
  /** PrechatGuard_Token__c as the browser sent it. */
  token: string | null;
  /** The user the first verification proved, if any. */
  verifiedUserId: string | null;
  /** Tracked for both objects; the Apex reads it on MessagingSession only (a transcript has no status it checks). */
  status: ChatStatus;
  /** MessagingSession.ConversationId (0dw); null for a transcript. */
  conversationId: string | null;
  /** MessagingSession.MessagingEndUserId (0PA); null for a transcript. */
  endUserId: string | null;
}

/** What the action's Chat Record Id input carried, and what the Apex read from that record. */
export interface ActionInput {
  /** The record the Apex read. */
  chatRecordId: string;
  /** Who filled the input. */
  filledBy: ChatRecordIdInput;
  /** A chat id the visitor named in the conversation, if any. */
  askedFor: string | null;
  objectName: ChatRecord['objectName'] | null;
  /** The record's status as the Apex sees it (null: a transcript, or no such record). */
  status: ChatStatus | null;
  conversationId: string | null;
  /** What the service would bind the token to (null: no such record). */
  sessionKey: string | null;
  /** The earlier session of the same conversation whose token this session used, if it had none of its own. */
  tokenFrom: string | null;
}

export interface BotTurn {
  /** The visitor's own chat record: the session the platform routes to the bot. */
  chatId: string;
  objectName: ChatRecord['objectName'];
  conversationId: string | null;
  status: ChatStatus;
  action: ActionInput;
  verification: VerifierResult & { firstName: string | null; lastName: string | null; contactId: string | null };
  /** The bot's message to the visitor. */
  reply: string;
  /** The call to POST /v1/verify, if one was made (guests, ended chats: none). */
  exchange: VerifyExchange | null;
}

export const NO_TOKEN = 'no_token';
export const CHAT_NOT_ACTIVE = 'chat_not_active';
export const INVALID_INPUT = 'invalid_input';
const NO_TOKEN_DETAIL = 'The chat carries no identity token: the visitor is not logged in.';
/** Bounded, like any in-memory demo state: the oldest chats are forgotten first. */
const MAX_CHATS = 1000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A chat record id as a visitor might type it into the conversation (15 or 18 characters). */
const CHAT_ID_IN_TEXT = /\b(?:0Mw|570)[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?\b/;

export class ChatNotFoundError extends Error {
  readonly code = 'chat_not_found';
  constructor() {
    super('No such chat: it ended or the demo restarted.');
  }
}

/** A request that does not fit the chat's state (e.g. writing again into a session that is still active). */
export class ChatStateError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Record ids as an org hands them out: key prefix, a pod part, then a counter — sequential, so a visitor who sees
 * their own chat id can guess the ids of the chats opened just before and after it.
 */
class RecordIds {
  private readonly next = new Map<string, number>();

  id(prefix: string): string {
    const value = this.next.get(prefix) ?? randomInt(62 ** 5, 62 ** 6);
    this.next.set(prefix, value + 1);
    let counter = '';
    for (let rest = value; counter.length < 10; rest = Math.floor(rest / 62)) counter = BASE62[rest % 62] + counter;
    return toId18(`${prefix}5g${counter}`)!;
  }
}

function blankToNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The session key the Apex sends: the conversation when the platform names one, else the chat record itself. */
export function sessionKeyOf(record: ChatRecord): string {
  return record.conversationId ?? record.id;
}

/** The chat id a visitor named in a message, in its 18-character form, if any. */
export function chatIdIn(text: string): string | null {
  const match = CHAT_ID_IN_TEXT.exec(text);
  return match ? toId18(match[0]) : null;
}

export class ChatDesk {
  private readonly chats = new Map<string, ChatRecord>();
  private readonly ids = new RecordIds();

  constructor(private readonly service: ServiceClient) {}

  /** Creates the chat record from what the browser sent and runs the bot's first verification. */
  async start(channel: ChatChannel, userId: string | null, token: string | null): Promise<BotTurn> {
    const enhanced = channel === 'enhanced';
    const record = this.remember({
      id: this.ids.id(enhanced ? '0Mw' : '570'),
      objectName: enhanced ? 'MessagingSession' : 'LiveChatTranscript',
      userId: blankToNull(userId),
      token: blankToNull(token),
      verifiedUserId: null,
      status: 'Active',
      conversationId: enhanced ? this.ids.id('0dw') : null,
      endUserId: enhanced ? this.ids.id('0PA') : null,
    });
    const turn = await this.actionTurn(record, 'context-variable', null);
    return { ...turn, reply: greeting(turn.verification) };
  }

  /**
   * The customer writes again after the session ended: Enhanced Chat opens a new MessagingSession in the same
   * conversation, for the same end user, Active, without the hidden pre-chat values. The bot's first action verifies it.
   */
  async followUp(chatId: string): Promise<BotTurn> {
    const previous = this.chats.get(chatId);
    if (!previous) throw new ChatNotFoundError();
    if (previous.conversationId === null) {
      throw new ChatStateError('no_conversation', 'Only an Enhanced Chat session belongs to a conversation.');
    }
    if (previous.status === 'Active') {
      throw new ChatStateError('session_active', 'The session is still active: write in it.');
    }
    const newest = this.sessionsOf(previous.conversationId).at(-1);
    if (newest !== previous) {
      throw new ChatStateError('not_latest_session', `Session ${newest?.id ?? '?'} is the conversation's newest.`);
    }
    const record = this.remember({
      ...previous,
      id: this.ids.id('0Mw'),
      userId: null,
      token: null,
      verifiedUserId: null,
      status: 'Active',
    });
    const turn = await this.actionTurn(record, 'context-variable', null);
    const { verification } = turn;
    const reply = verification.verified
      ? `Welcome back, ${verification.firstName ?? 'again'}! This is a new session of the same conversation; I checked ` +
        `again — still ${verification.firstName ?? 'you'} (binding ${verification.binding}), so I may look at your ` +
        'cases and contact details.'
      : verification.reason === NO_TOKEN
        ? "Welcome back! You're not signed in, so I can help with general questions."
        : `Welcome back! I can't tie this chat to an account (${verification.reason}), so I can only give general help.`;
    return { ...turn, reply };
  }

  /**
   * A later bot action for the visitor's chat. Its Chat Record Id input is the chat's own id when bound to the context
   * variable; left to the agent, it is whatever chat id the visitor named in the conversation.
   */
  async reply(chatId: string, text: string, input: ChatRecordIdInput = 'context-variable'): Promise<BotTurn> {
    const own = this.live(chatId);
    const asked = text.trim().slice(0, 200);
    const askedFor = chatIdIn(asked);
    const turn = await this.actionTurn(own, input, askedFor);
    const { verification } = turn;
    const who = verification.firstName ?? 'you';
    let reply: string;
    if (turn.action.chatRecordId !== own.id) {
      reply = verification.verified
        ? `You asked: "${asked}". I looked up chat ${turn.action.chatRecordId}: verified as ` +
          `${verification.firstName} ${verification.lastName} (binding ${verification.binding}), so I may look at ` +
          `${verification.firstName}'s cases and contact details.`
        : `You asked: "${asked}". I looked up chat ${turn.action.chatRecordId} but can't tie it to an account ` +
          `(${verification.reason}), so I can only give general help.`;
    } else {
      const onlyThisChat =
        askedFor !== null && askedFor !== own.id
          ? ` I can only act for this chat (${own.id}): the chat record id comes from the platform, not from what you type.`
          : '';
      reply = verification.verified
        ? `You asked: "${asked}".${onlyThisChat} I checked again — still ${who} (binding ${verification.binding}), ` +
          'so I may look at your cases and contact details.'
        : `You asked: "${asked}".${onlyThisChat} I can't tie this chat to an account (${verification.reason}), so I can ` +
          'only give general help.';
    }
    return { ...turn, reply };
  }

  /**
   * Enhanced Chat user verification renewed the identity token (onEmbeddedMessagingIdentityTokenExpired →
   * setIdentityToken). The new token must prove the same user as the chat, and is bound to its session key too.
   */
  async renewIdentity(chatId: string, token: string): Promise<BotTurn> {
    const record = this.live(chatId);
    const expected = record.verifiedUserId ?? record.userId;
    const { result, exchange } = await this.service.verify(token, expected, sessionKeyOf(record));
    const verification = withUser(result);
    const reply = verification.verified
      ? `Your sign-in was renewed, ${verification.firstName ?? 'and checked'} — we can carry on.`
      : `Your sign-in could not be renewed (${verification.reason}); this chat now continues anonymously.`;
    if (!verification.verified) record.verifiedUserId = null;
    return {
      ...this.turnBase(record),
      action: { ...this.inputFor(record, 'context-variable', null), tokenFrom: null },
      verification,
      exchange,
      reply,
    };
  }

  /** The session ends (the visitor or the agent closed it): Status Ended. A MessagingSession's conversation stays. */
  end(chatId: string): { chatId: string; status: ChatStatus; conversationId: string | null } {
    const record = this.live(chatId);
    record.status = 'Ended';
    return { chatId: record.id, status: record.status, conversationId: record.conversationId };
  }

  /** The visitor's own chat as the platform routes it to the bot: it must exist and be live. */
  private live(chatId: string): ChatRecord {
    const record = this.chats.get(chatId);
    if (!record || record.status !== 'Active') throw new ChatNotFoundError();
    return record;
  }

  private sessionsOf(conversationId: string): ChatRecord[] {
    return [...this.chats.values()].filter((record) => record.conversationId === conversationId);
  }

  private remember(record: ChatRecord): ChatRecord {
    if (this.chats.size >= MAX_CHATS) {
      const oldest = this.chats.keys().next().value;
      if (oldest !== undefined) this.chats.delete(oldest);
    }
    this.chats.set(record.id, record);
    return record;
  }

  private turnBase(record: ChatRecord): Pick<BotTurn, 'chatId' | 'objectName' | 'conversationId' | 'status'> {
    return {
      chatId: record.id,
      objectName: record.objectName,
      conversationId: record.conversationId,
      status: record.status,
    };
  }

  private inputFor(own: ChatRecord, input: ChatRecordIdInput, askedFor: string | null): Omit<ActionInput, 'tokenFrom'> {
    const chatRecordId = input === 'agent' && askedFor !== null ? askedFor : own.id;
    const target = this.chats.get(chatRecordId);
    return {
      chatRecordId,
      filledBy: input,
      askedFor,
      objectName: target?.objectName ?? null,
      status: target?.objectName === 'MessagingSession' ? target.status : null,
      conversationId: target?.conversationId ?? null,
      sessionKey: target ? sessionKeyOf(target) : null,
    };
  }

  /** One bot action for the visitor's chat `own`: what PrechatGuardChatVerification.verify does for its input id. */
  private async actionTurn(
    own: ChatRecord,
    input: ChatRecordIdInput,
    askedFor: string | null,
  ): Promise<Omit<BotTurn, 'reply'>> {
    const action = this.inputFor(own, input, askedFor);
    const base = this.turnBase(own);
    const target = this.chats.get(action.chatRecordId);
    const answer = (result: VerifierResult, exchange: VerifyExchange | null, tokenFrom: string | null = null) => ({
      ...base,
      action: { ...action, tokenFrom },
      verification: withUser(result),
      exchange,
    });
    if (!target) {
      return answer(refused(INVALID_INPUT, 'The chat record does not exist or the running user cannot see it.'), null);
    }
    // Read as PrechatGuardChatRecords does: a session without a token borrows from its own conversation only.
    const earlier = target.token === null ? this.carriedFrom(target) : null;
    const token = earlier?.token ?? target.token;
    const userId = earlier ? earlier.userId : target.userId;
    if (action.status !== null && action.status !== 'Active') {
      const detail = `The chat is ${action.status}, not Active: only the live chat can be verified.`;
      return answer(refused(CHAT_NOT_ACTIVE, detail), null, earlier?.id ?? null);
    }
    if (token === null) return answer(refused(NO_TOKEN, NO_TOKEN_DETAIL), null);
    const { result, exchange } = await this.service.verify(token, userId, sessionKeyOf(target));
    if (target === own && result.verified) own.verifiedUserId = result.userId;
    return answer(result, exchange, earlier?.id ?? null);
  }

  /** The newest other session of the same conversation and the same end user that carries a token. */
  private carriedFrom(session: ChatRecord): ChatRecord | null {
    if (session.conversationId === null) return null;
    const others = this.sessionsOf(session.conversationId).reverse();
    return (
      others.find(
        (other) => other.id !== session.id && other.endUserId === session.endUserId && other.token !== null,
      ) ?? null
    );
  }
}

/** Names come from the verified user id only — never from anything the browser sent. */
function withUser(result: VerifierResult): BotTurn['verification'] {
  const user = result.verified ? findUser(result.userId) : undefined;
  return {
    ...result,
    firstName: user?.firstName ?? null,
    lastName: user?.lastName ?? null,
    contactId: user?.contactId ?? null,
  };
}

function greeting(verification: BotTurn['verification']): string {
  if (verification.verified) {
    return verification.firstName
      ? `Hi ${verification.firstName}! I've verified that you're signed in as ${verification.firstName} ${verification.lastName}. How can I help with your account?`
      : "Hi! You're verified, but I can't find your user record.";
  }
  if (verification.reason === NO_TOKEN) {
    return "Hi there! You're not signed in, so I can help with general questions. Sign in if you need help with your account.";
  }
  return "Hi there! I couldn't confirm who you are, so I'll treat this chat as anonymous and won't touch any account.";
}
