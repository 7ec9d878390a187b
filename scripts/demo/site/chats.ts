// The simulated org's chat records and bot. A chat starts with the values the browser sent (Enhanced Chat hidden
// pre-chat fields, or legacy extra pre-chat values), stored as MessagingSession / LiveChatTranscript fields the way the
// Omni-Channel flow or the snippet settings map them. The bot then does what PrechatGuardChatVerification does: no token
// → no_token; otherwise ask the service, with the chat record id as the session key, and trust only the verified id.
import { randomBytes } from 'node:crypto';
import { toId18 } from '../../../server/src/tokens/salesforceId';
import { refused, type ServiceClient, type VerifierResult, type VerifyExchange } from './serviceClient';
import { findUser } from './users';

export type ChatChannel = 'enhanced' | 'legacy';

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
  ended: boolean;
}

export interface BotTurn {
  chatId: string;
  objectName: ChatRecord['objectName'];
  verification: VerifierResult & { firstName: string | null; contactId: string | null };
  /** The bot's message to the visitor. */
  reply: string;
  /** The call to POST /v1/verify, if one was made (guests: none). */
  exchange: VerifyExchange | null;
}

export const NO_TOKEN = 'no_token';
const NO_TOKEN_DETAIL = 'The chat carries no identity token: the visitor is not logged in.';
/** Bounded, like any in-memory demo state: the oldest chats are forgotten first. */
const MAX_CHATS = 1000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class ChatNotFoundError extends Error {
  readonly code = 'chat_not_found';
  constructor() {
    super('No such chat: it ended or the demo restarted.');
  }
}

function newRecordId(prefix: string): string {
  const random = [...randomBytes(12)].map((byte) => BASE62[byte % 62]).join('');
  return toId18(prefix + random)!;
}

function blankToNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export class ChatDesk {
  private readonly chats = new Map<string, ChatRecord>();

  constructor(private readonly service: ServiceClient) {}

  /** Creates the chat record from what the browser sent and runs the bot's first verification. */
  async start(channel: ChatChannel, userId: string | null, token: string | null): Promise<BotTurn> {
    const record: ChatRecord = {
      id: newRecordId(channel === 'enhanced' ? '0Mw' : '570'),
      objectName: channel === 'enhanced' ? 'MessagingSession' : 'LiveChatTranscript',
      userId: blankToNull(userId),
      token: blankToNull(token),
      verifiedUserId: null,
      ended: false,
    };
    this.remember(record);
    const { verification, exchange } = await this.verify(record);
    if (verification.verified) record.verifiedUserId = verification.userId;
    return { chatId: record.id, objectName: record.objectName, verification, exchange, reply: greeting(verification) };
  }

  /** A later bot action: verifies again (cheap: the token is bound to this chat) before acting for the user. */
  async reply(chatId: string, text: string): Promise<BotTurn> {
    const record = this.get(chatId);
    const { verification, exchange } = await this.verify(record);
    const asked = text.trim().slice(0, 200);
    const reply = verification.verified
      ? `You asked: "${asked}". I checked again — still ${verification.firstName ?? 'you'} (binding ${verification.binding}), ` +
        'so I may look at your cases and contact details.'
      : `You asked: "${asked}". I can't tie this chat to an account (${verification.reason}), so I can only give general help.`;
    return { chatId, objectName: record.objectName, verification, exchange, reply };
  }

  /**
   * Enhanced Chat user verification renewed the identity token (onEmbeddedMessagingIdentityTokenExpired →
   * setIdentityToken). The new token must prove the same user as the chat, and is bound to this chat too.
   */
  async renewIdentity(chatId: string, token: string): Promise<BotTurn> {
    const record = this.get(chatId);
    const expected = record.verifiedUserId ?? record.userId;
    const { result, exchange } = await this.service.verify(token, expected, record.id);
    const verification = withUser(result);
    const reply = verification.verified
      ? `Your sign-in was renewed, ${verification.firstName ?? 'and checked'} — we can carry on.`
      : `Your sign-in could not be renewed (${verification.reason}); this chat now continues anonymously.`;
    if (!verification.verified) record.verifiedUserId = null;
    return { chatId, objectName: record.objectName, verification, exchange, reply };
  }

  end(chatId: string): void {
    this.get(chatId).ended = true;
  }

  private get(chatId: string): ChatRecord {
    const record = this.chats.get(chatId);
    if (!record || record.ended) throw new ChatNotFoundError();
    return record;
  }

  private remember(record: ChatRecord): void {
    if (this.chats.size >= MAX_CHATS) {
      const oldest = this.chats.keys().next().value;
      if (oldest !== undefined) this.chats.delete(oldest);
    }
    this.chats.set(record.id, record);
  }

  private async verify(
    record: ChatRecord,
  ): Promise<{ verification: BotTurn['verification']; exchange: VerifyExchange | null }> {
    if (record.token === null) {
      return { verification: withUser(refused(NO_TOKEN, NO_TOKEN_DETAIL)), exchange: null };
    }
    const { result, exchange } = await this.service.verify(record.token, record.userId, record.id);
    return { verification: withUser(result), exchange };
  }
}

/** Names come from the verified user id only — never from anything the browser sent. */
function withUser(result: VerifierResult): BotTurn['verification'] {
  const user = result.verified ? findUser(result.userId) : undefined;
  return { ...result, firstName: user?.firstName ?? null, contactId: user?.contactId ?? null };
}

function greeting(verification: BotTurn['verification']): string {
  if (verification.verified) {
    const user = findUser(verification.userId);
    return user
      ? `Hi ${user.firstName}! I've verified that you're signed in as ${user.firstName} ${user.lastName}. How can I help with your account?`
      : "Hi! You're verified, but I can't find your user record.";
  }
  if (verification.reason === NO_TOKEN) {
    return "Hi there! You're not signed in, so I can help with general questions. Sign in if you need help with your account.";
  }
  return "Hi there! I couldn't confirm who you are, so I'll treat this chat as anonymous and won't touch any account.";
}
