/*
 * Demo stand-in for the Salesforce chat platform: Enhanced Chat's `embeddedservice_bootstrap` window global (prechatAPI,
 * userVerificationAPI and the onEmbeddedMessaging* window events) and, for the legacy path, legacy chat's
 * `embedded_svc` global with the site's snippet settings file (the project's real static resource, loaded as the
 * Embedded Service Chat component loads it) and the chat that `lightningsnapin/basePrechat`'s startChat opens. It keeps the state a real chat client keeps — readiness, hidden
 * pre-chat fields, the identity token, conversations — and creates chat records through the demo site, which plays the
 * org: the record stores what the browser sent, and the bot verifies it.
 *
 * Behaviour copied from the Enhanced Chat guide: the API works only after onEmbeddedMessagingReady; hidden fields are
 * frozen once a conversation starts; unknown or over-long hidden values are refused; after
 * onEmbeddedMessagingIdentityTokenExpired the page has 30 s to call setIdentityToken, or the session is cleared; when a
 * session ends the conversation stays, and writing again opens a new MessagingSession in it without the hidden values.
 */
/// <reference lib="dom" />
// The Enhanced Chat client API types the components use (global declarations: nothing is imported at run time).
import type {} from '../../force-app/typings/embeddedservice';
import type { BotTurn, ChatRecordIdInput } from '../site/chats';
import { postJson } from '../web/dom';

export type Channel = 'enhanced' | 'legacy';

/** What leaves the browser when a chat starts: the values the org copies onto the chat record. */
export interface OutgoingValues {
  userId: string | null;
  token: string | null;
}

/** A change the attacker made to the outgoing values, and one line saying what it was. */
export interface Tampering {
  values: OutgoingValues;
  notes: string[];
  /** What the visitor writes as soon as the bot has greeted them, if anything. */
  ask?: string;
}

export type Tamper = (values: OutgoingValues) => Promise<Tampering>;

export interface ChatMessage {
  from: 'bot' | 'visitor' | 'system';
  text: string;
  turn?: BotTurn;
}

export interface ChatSession {
  recordId: string;
  status: 'Active' | 'Ended';
}

export interface Conversation {
  /** 1, 2, … in the order opened on this page. */
  number: number;
  channel: Channel;
  /** The current session's record, set once the org created it. */
  recordId: string | null;
  /** Enhanced Chat: the Conversation record (0dw) its sessions belong to; null for legacy chat. */
  conversationId: string | null;
  /** Enhanced Chat: the conversation's MessagingSession records, oldest first (legacy: its one transcript). */
  sessions: ChatSession[];
  /** Which conversation's values this one replays, if any. */
  replayOf: number | null;
  sent: OutgoingValues;
  messages: ChatMessage[];
  /** session_ended: the MessagingSession ended but the conversation stays; writing again opens a new session. */
  state: 'starting' | 'open' | 'session_ended' | 'ended';
}

export interface HiddenFieldSetting {
  /** MessagingChannelCustomParameter.maxLength as the admin set it. */
  maxLength: number;
}

export interface EnhancedChatSettings {
  /** Channel variable name → setting; the deployment knows only these names. */
  hiddenFields: Record<string, HiddenFieldSetting>;
  userIdField: string;
  tokenField: string;
  userVerification: boolean;
}

/** The LiveChatTranscript fields the org copies the identity from (the snippet settings file's transcriptFields). */
export const LEGACY_TRANSCRIPT_FIELDS = { userId: 'PrechatGuard_User_Id__c', token: 'PrechatGuard_Token__c' } as const;

/** One of legacy chat's extra pre-chat details, as a snippet settings file declares them. */
export interface ExtraPrechatFormDetail {
  label: string;
  value?: unknown;
  displayToAgent?: boolean;
  transcriptFields?: string[];
}

/** The part of legacy chat's `embedded_svc` global that a snippet settings file on an Experience Cloud site uses. */
export interface LegacyEmbeddedService {
  settings: Record<string, unknown>;
  snippetSettingsFile: { extraPrechatFormDetails?: ExtraPrechatFormDetail[] };
}

declare global {
  interface Window {
    embedded_svc?: LegacyEmbeddedService;
  }
}

export const RENEWAL_WINDOW_MS = 30_000;

export const PLATFORM_EVENTS = {
  ready: 'onEmbeddedMessagingReady',
  buttonClicked: 'onEmbeddedMessagingButtonClicked',
  conversationStarted: 'onEmbeddedMessagingConversationStarted',
  tokenExpired: 'onEmbeddedMessagingIdentityTokenExpired',
} as const;

export class ChatApiStateError extends Error {
  constructor(
    readonly code: 'not_ready' | 'conversation_started' | 'unknown_field' | 'value_too_long' | 'invalid_value',
    message: string,
  ) {
    super(message);
    this.name = 'ChatApiStateError';
  }
}

type Listener = () => void;

export class SimulatedChatPlatform {
  channel: Channel = 'enhanced';
  ready = false;
  windowOpen = false;
  hiddenFields: Record<string, string> = {};
  identityToken: string | null = null;
  identityTokenCount = 0;
  /** True between onEmbeddedMessagingIdentityTokenExpired and the page's answer (or the 30 s deadline). */
  awaitingRenewal = false;
  conversations: Conversation[] = [];
  /** The bot's most recent answer, for the page's "what the bot asked the service" panel. */
  lastTurn: BotTurn | null = null;
  /** A log of client API calls, shown on the page (tokens shortened). */
  apiLog: string[] = [];
  /**
   * How the org's admin set up the bot actions' Chat Record Id input (sent with each visitor message so the simulated
   * org can act on it). In an org it is agent metadata, not something the page chooses.
   */
  chatRecordIdInput: ChatRecordIdInput = 'context-variable';
  private settings: EnhancedChatSettings | null = null;
  private tamper: Tamper | null = null;
  private renewalTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTamper(tamper: Tamper | null): void {
    this.tamper = tamper;
  }

  /** Creates `window.embeddedservice_bootstrap` and, a moment later (as the real script loads), fires ready. */
  installEnhancedChat(settings: EnhancedChatSettings): void {
    this.channel = 'enhanced';
    this.settings = settings;
    const bootstrap: EmbeddedServiceBootstrap = {
      prechatAPI: {
        setHiddenPrechatFields: (fields) => this.setHiddenPrechatFields(fields),
        removeHiddenPrechatFields: (names) => this.removeHiddenPrechatFields(names),
      },
      userVerificationAPI: settings.userVerification
        ? {
            setIdentityToken: (token) => this.setIdentityToken(token),
            clearSession: (clearStorage) => this.clearSession(clearStorage === true),
          }
        : undefined,
    };
    window.embeddedservice_bootstrap = bootstrap;
    setTimeout(() => this.becomeReady(), 50);
  }

  /**
   * Legacy chat on an Experience Cloud page: `embedded_svc`, then the site's snippet settings file as a classic script
   * (it declares extraPrechatFormDetails and listens for the pre-chat component's hand-over). The chat button works once
   * the file has loaded, or failed to: without it the component starts chats unverified, as on a misconfigured site.
   */
  async installLegacyChat(snippetSettingsUrl: string): Promise<void> {
    this.channel = 'legacy';
    delete window.embeddedservice_bootstrap;
    window.embedded_svc = { settings: {}, snippetSettingsFile: {} };
    try {
      await loadClassicScript(snippetSettingsUrl);
      this.log(`snippet settings file loaded (${snippetSettingsUrl})`);
    } catch {
      this.log(`snippet settings file missing (${snippetSettingsUrl})`);
    }
    this.ready = true;
    this.changed();
  }

  /** The chat button: opens the window (Enhanced Chat tells the page with onEmbeddedMessagingButtonClicked). */
  openWindow(): void {
    this.windowOpen = true;
    if (this.channel === 'enhanced') window.dispatchEvent(new Event(PLATFORM_EVENTS.buttonClicked));
    this.changed();
  }

  /** Enhanced Chat: the visitor starts the conversation; the hidden fields as they are now go to the org. */
  async startEnhancedConversation(): Promise<Conversation> {
    const settings = this.requireSettings();
    const values: OutgoingValues = {
      userId: this.hiddenFields[settings.userIdField] ?? null,
      token: this.hiddenFields[settings.tokenField] ?? null,
    };
    const conversation = await this.startConversation('enhanced', values, null, true);
    window.dispatchEvent(
      new CustomEvent(PLATFORM_EVENTS.conversationStarted, { detail: { conversationId: conversation.recordId } }),
    );
    return conversation;
  }

  /**
   * Legacy chat: basePrechat.startChat. The chat goes out with the form's fields plus the snippet settings file's
   * extraPrechatFormDetails as they are at this moment (the file's listener fills them in just before it calls
   * startChat); each detail's transcriptFields say which LiveChatTranscript field gets its value.
   */
  async startLegacyChat(fields: Array<{ label: string; name: string; value?: string | null }>): Promise<Conversation> {
    const details = window.embedded_svc?.snippetSettingsFile.extraPrechatFormDetails ?? [];
    const transcriptValue = (field: string): string | null => {
      const value = details.find((detail) => detail.transcriptFields?.includes(field))?.value;
      return typeof value === 'string' && value !== '' ? value : null;
    };
    const values: OutgoingValues = {
      userId: transcriptValue(LEGACY_TRANSCRIPT_FIELDS.userId),
      token: transcriptValue(LEGACY_TRANSCRIPT_FIELDS.token),
    };
    return this.startConversation('legacy', values, null, true, fields);
  }

  /** The attacker copies a conversation's values into a brand-new chat. */
  async replay(conversation: Conversation): Promise<Conversation> {
    return this.startConversation(conversation.channel, { ...conversation.sent }, conversation.number, false);
  }

  async send(conversation: Conversation, text: string): Promise<void> {
    if (conversation.state === 'session_ended') return this.writeAgain(conversation, text);
    if (conversation.state !== 'open' || conversation.recordId === null) return;
    conversation.messages.push({ from: 'visitor', text });
    this.changed();
    await this.botTurn(conversation, `/demo/api/chats/${conversation.recordId}/messages`, {
      text,
      chatRecordIdInput: this.chatRecordIdInput,
    });
  }

  /**
   * Enhanced Chat: the session ends (the agent or the visitor closed it); its MessagingSession becomes Ended. The
   * conversation stays in the window, and the hidden pre-chat fields stay frozen with it.
   */
  async endSession(conversation: Conversation): Promise<void> {
    const recordId = conversation.recordId;
    if (conversation.channel !== 'enhanced' || conversation.state !== 'open' || recordId === null) return;
    try {
      await postJson(`/demo/api/chats/${recordId}/end`, {});
    } catch (error) {
      conversation.messages.push({ from: 'system', text: `Ending the session failed: ${(error as Error).message}` });
      this.changed();
      return;
    }
    conversation.state = 'session_ended';
    for (const session of conversation.sessions) if (session.recordId === recordId) session.status = 'Ended';
    conversation.messages.push({
      from: 'system',
      text:
        `Session ended: MessagingSession ${recordId} is now Ended. The conversation ${conversation.conversationId} ` +
        'stays; writing again opens a new session in it.',
    });
    this.changed();
  }

  /**
   * Enhanced Chat: the customer writes after the session ended. The platform opens a new MessagingSession in the same
   * conversation — Active, without the hidden pre-chat values — and routes it to the bot.
   */
  async writeAgain(conversation: Conversation, text: string): Promise<void> {
    const previous = conversation.recordId;
    if (conversation.state !== 'session_ended' || previous === null) return;
    conversation.state = 'starting';
    conversation.messages.push({ from: 'visitor', text });
    this.changed();
    try {
      const turn = await postJson<BotTurn>(`/demo/api/chats/${previous}/follow-up`, {});
      conversation.recordId = turn.chatId;
      conversation.sessions.push({ recordId: turn.chatId, status: turn.status });
      conversation.state = 'open';
      conversation.messages.push({
        from: 'system',
        text:
          `New session: MessagingSession ${turn.chatId} in the same conversation ${turn.conversationId}, with no ` +
          'token of its own (hidden pre-chat values are not carried into it).',
      });
      conversation.messages.push({ from: 'bot', text: turn.reply, turn });
      this.lastTurn = turn;
    } catch (error) {
      conversation.state = 'session_ended';
      conversation.messages.push({ from: 'system', text: `Writing again failed: ${(error as Error).message}` });
    }
    this.changed();
  }

  /** Enhanced Chat says both identity tokens expired; the page must answer with setIdentityToken within 30 s. */
  expireIdentityToken(): void {
    this.awaitingRenewal = true;
    this.log('event onEmbeddedMessagingIdentityTokenExpired');
    clearTimeout(this.renewalTimer);
    this.renewalTimer = setTimeout(() => {
      if (!this.awaitingRenewal) return;
      this.awaitingRenewal = false;
      this.systemMessageToOpen('No new identity token arrived within 30 seconds, so the chat session was cleared.');
      this.clearSession(true);
    }, RENEWAL_WINDOW_MS);
    this.changed();
    window.dispatchEvent(new Event(PLATFORM_EVENTS.tokenExpired));
  }

  // --- Enhanced Chat client API -------------------------------------------------------------------------------

  private setHiddenPrechatFields(fields: Record<string, string>): void {
    const settings = this.requireReady('setHiddenPrechatFields');
    if (this.conversations.some((c) => c.channel === 'enhanced' && c.state !== 'ended' && c.replayOf === null)) {
      throw new ChatApiStateError(
        'conversation_started',
        'Hidden pre-chat fields are frozen once a conversation starts.',
      );
    }
    for (const [name, value] of Object.entries(fields)) {
      const setting = settings.hiddenFields[name];
      if (!setting)
        throw new ChatApiStateError('unknown_field', `"${name}" is not a hidden pre-chat field of this channel.`);
      if (typeof value !== 'string') throw new ChatApiStateError('invalid_value', `"${name}" must be a string.`);
      if (value.length > setting.maxLength) {
        throw new ChatApiStateError(
          'value_too_long',
          `"${name}" is longer than its maximum length ${setting.maxLength}.`,
        );
      }
    }
    this.hiddenFields = { ...this.hiddenFields, ...fields };
    this.log(`prechatAPI.setHiddenPrechatFields(${Object.keys(fields).join(', ')})`);
    this.changed();
  }

  private removeHiddenPrechatFields(names: string[]): void {
    this.requireReady('removeHiddenPrechatFields');
    const next = { ...this.hiddenFields };
    for (const name of names) delete next[name];
    this.hiddenFields = next;
    this.log(`prechatAPI.removeHiddenPrechatFields(${names.join(', ')})`);
    this.changed();
  }

  private setIdentityToken(token: EmbeddedServiceIdentityToken): void {
    this.requireReady('setIdentityToken');
    if (token?.identityTokenType !== 'JWT' || typeof token.identityToken !== 'string') {
      throw new ChatApiStateError(
        'invalid_value',
        'setIdentityToken needs { identityTokenType: "JWT", identityToken }.',
      );
    }
    this.identityToken = token.identityToken;
    this.identityTokenCount += 1;
    this.log('userVerificationAPI.setIdentityToken(JWT)');
    if (this.awaitingRenewal) {
      this.awaitingRenewal = false;
      clearTimeout(this.renewalTimer);
      for (const conversation of this.openConversations()) {
        void this.botTurn(conversation, `/demo/api/chats/${conversation.recordId}/identity-token`, {
          token: token.identityToken,
        });
      }
    }
    this.changed();
  }

  private clearSession(clearStorage: boolean): void {
    this.log(`userVerificationAPI.clearSession(${clearStorage})`);
    this.identityToken = null;
    this.awaitingRenewal = false;
    // The whole conversation goes, including one whose session already ended.
    for (const conversation of this.conversations) {
      if (conversation.state === 'open' || conversation.state === 'session_ended') this.endConversation(conversation);
    }
    this.hiddenFields = {};
    this.changed();
    // After clearSession the client is ready again for a new (anonymous or re-verified) session.
    setTimeout(() => this.becomeReady(), 50);
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private becomeReady(): void {
    this.ready = true;
    this.log('event onEmbeddedMessagingReady');
    this.changed();
    window.dispatchEvent(new Event(PLATFORM_EVENTS.ready));
  }

  private async startConversation(
    channel: Channel,
    values: OutgoingValues,
    replayOf: number | null,
    applyTamper: boolean,
    visibleFields: Array<{ label: string; value?: string | null }> = [],
  ): Promise<Conversation> {
    const conversation: Conversation = {
      number: this.conversations.length + 1,
      channel,
      recordId: null,
      conversationId: null,
      sessions: [],
      replayOf,
      sent: values,
      messages: [],
      state: 'starting',
    };
    this.conversations.push(conversation);
    this.windowOpen = true;
    this.changed();
    if (visibleFields.length > 0) {
      const summary = visibleFields
        .filter((field) => (field.value ?? '') !== '')
        .map((field) => `${field.label}: ${field.value}`)
        .join(' · ');
      conversation.messages.push({ from: 'visitor', text: `Pre-chat form — ${summary}` });
    }
    if (replayOf !== null) {
      conversation.messages.push({
        from: 'system',
        text: `Attacker replays chat ${replayOf}'s user id and token in this new chat.`,
      });
    }
    let ask: string | undefined;
    if (applyTamper && this.tamper) {
      const tampering = await this.tamper(values);
      conversation.sent = tampering.values;
      ask = tampering.ask;
      for (const note of tampering.notes) conversation.messages.push({ from: 'system', text: note });
    }
    await this.botTurn(conversation, '/demo/api/chats', { channel, ...conversation.sent });
    if (ask !== undefined) await this.send(conversation, ask);
    return conversation;
  }

  private async botTurn(conversation: Conversation, url: string, body: unknown): Promise<void> {
    try {
      const turn = await postJson<BotTurn>(url, body);
      if (conversation.recordId === null) {
        conversation.recordId = turn.chatId;
        conversation.conversationId = turn.conversationId;
        conversation.sessions.push({ recordId: turn.chatId, status: turn.status });
        conversation.state = 'open';
      }
      conversation.messages.push({ from: 'bot', text: turn.reply, turn });
      this.lastTurn = turn;
    } catch (error) {
      conversation.messages.push({ from: 'system', text: `The chat failed: ${(error as Error).message}` });
      if (conversation.recordId === null) conversation.state = 'ended';
    }
    this.changed();
  }

  private endConversation(conversation: Conversation): void {
    const wasOpen = conversation.state === 'open';
    conversation.state = 'ended';
    for (const session of conversation.sessions) session.status = 'Ended';
    if (wasOpen && conversation.recordId !== null) {
      void postJson(`/demo/api/chats/${conversation.recordId}/end`, {}).catch(() => undefined);
    }
  }

  private systemMessageToOpen(text: string): void {
    for (const conversation of this.openConversations()) conversation.messages.push({ from: 'system', text });
  }

  private openConversations(): Conversation[] {
    return this.conversations.filter((c) => c.state === 'open' && c.recordId !== null);
  }

  private requireSettings(): EnhancedChatSettings {
    if (!this.settings) throw new ChatApiStateError('not_ready', 'Enhanced Chat is not installed on this page.');
    return this.settings;
  }

  private requireReady(method: string): EnhancedChatSettings {
    const settings = this.requireSettings();
    if (!this.ready) throw new ChatApiStateError('not_ready', `${method} was called before onEmbeddedMessagingReady.`);
    return settings;
  }

  private log(line: string): void {
    this.apiLog = [...this.apiLog.slice(-19), line];
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function loadClassicScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`${src} did not load`)));
    document.head.append(script);
  });
}

/** The page's one chat platform, as a deployment's script creates one per page. */
export const chatPlatform = new SimulatedChatPlatform();
