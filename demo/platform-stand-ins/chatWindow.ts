/*
 * Demo stand-in for the chat window that Salesforce draws on the page (Enhanced Chat's messaging window, or the
 * legacy Embedded Service chat window with its pre-chat step). It shows the platform state from simulatedChat.ts:
 * the hidden pre-chat fields about to be sent, the conversations, and the bot's verdicts with the service's reason code.
 */
/// <reference lib="dom" />
// The Enhanced Chat client API types the components use (global declarations: nothing is imported at run time).
import type {} from '../../force-app/typings/embeddedservice';
import { h, replaceChildren, shorten } from '../web/dom';
import type { BotTurn } from '../site/chats';
import type { ChatMessage, Conversation, SimulatedChatPlatform } from './simulatedChat';
import isGuest from './userIsGuest';

export interface ChatWindowOptions {
  /** Draws the legacy pre-chat form (the project's component) into the window. */
  mountLegacyForm: (host: HTMLElement) => void;
  userIdField: string;
  tokenField: string;
}

interface ConversationView {
  root: HTMLElement;
  log: HTMLElement;
  status: HTMLElement;
  sessions: HTMLElement;
  end: HTMLButtonElement | null;
  writeAgain: HTMLButtonElement | null;
  rendered: number;
}

/** What a customer writes when they come back to an ended session. */
export const WRITE_AGAIN_TEXT = "I'm back — is my case still open?";

export class ChatWindow {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private prechatPane: HTMLElement | null = null;
  private legacyHost: HTMLElement | null = null;
  private readonly views = new Map<number, ConversationView>();

  constructor(
    private readonly platform: SimulatedChatPlatform,
    private readonly options: ChatWindowOptions,
  ) {
    this.launcher = h(
      'button',
      { type: 'button', class: 'slds-button slds-button_brand chat-launcher', onclick: () => platform.openWindow() },
      'Chat with us',
    );
    this.body = h('div', { class: 'chat-windows' });
    this.root = h('div', { class: 'chat-dock' }, this.launcher, this.body);
    platform.onChange(() => this.render());
    this.render();
  }

  private render(): void {
    const { platform } = this;
    const primaryOpen = platform.conversations.some((c) => c.replayOf === null && c.state !== 'ended');
    // Enhanced Chat: until onEmbeddedMessagingReady; legacy: until the snippet settings file has loaded.
    this.launcher.disabled = !platform.ready;
    this.launcher.textContent = platform.ready ? 'Chat with us' : 'Chat is loading…';

    const wantsPrechat = platform.windowOpen && !primaryOpen;
    if (wantsPrechat && !this.prechatPane) {
      this.prechatPane = platform.channel === 'enhanced' ? this.enhancedPrechat() : this.legacyPrechat();
      this.body.prepend(this.prechatPane);
    } else if (!wantsPrechat && this.prechatPane) {
      this.prechatPane.remove();
      this.prechatPane = null;
      this.legacyHost = null;
    }
    if (this.prechatPane && platform.channel === 'enhanced') this.renderHiddenFields();

    for (const conversation of platform.conversations) {
      let view = this.views.get(conversation.number);
      if (!view) {
        view = this.conversationView(conversation);
        this.views.set(conversation.number, view);
        this.body.append(view.root);
      }
      this.updateConversation(conversation, view);
    }
  }

  private enhancedPrechat(): HTMLElement {
    const start = h(
      'button',
      {
        type: 'button',
        class: 'slds-button slds-button_brand',
        onclick: () => {
          start.disabled = true;
          void this.platform.startEnhancedConversation();
        },
      },
      'Start conversation',
    );
    return h(
      'section',
      { class: 'chat-window', 'aria-label': 'Enhanced Chat: new conversation' },
      h(
        'header',
        { class: 'chat-window__header' },
        h('h3', {}, 'New conversation'),
        h('span', { class: 'badge' }, 'Enhanced Chat'),
      ),
      h(
        'div',
        { class: 'chat-window__body' },
        h('p', { class: 'explain' }, 'These hidden pre-chat fields go to the org with the conversation:'),
        h('dl', { class: 'fields', 'data-testid': 'hidden-fields' }),
      ),
      h('footer', { class: 'chat-window__footer' }, start),
    );
  }

  private renderHiddenFields(): void {
    const list = this.prechatPane?.querySelector('dl');
    if (!list) return;
    const { hiddenFields } = this.platform;
    const names = [this.options.userIdField, this.options.tokenField];
    replaceChildren(
      list,
      ...names.flatMap((name) => [
        h('dt', {}, name),
        h('dd', {}, hiddenFields[name] ? shorten(hiddenFields[name]) : h('em', {}, 'not set')),
      ]),
    );
  }

  private legacyPrechat(): HTMLElement {
    this.legacyHost = h('div', { class: 'chat-window__body' });
    const pane = h(
      'section',
      { class: 'chat-window', 'aria-label': 'Legacy chat: pre-chat form' },
      h(
        'header',
        { class: 'chat-window__header' },
        h('h3', {}, 'Before we start'),
        h('span', { class: 'badge' }, 'Legacy pre-chat'),
      ),
      this.legacyHost,
    );
    this.options.mountLegacyForm(this.legacyHost);
    return pane;
  }

  private conversationView(conversation: Conversation): ConversationView {
    const input = h('input', {
      class: 'slds-input',
      type: 'text',
      name: 'message',
      autocomplete: 'off',
      'aria-label': `Message for chat ${conversation.number}`,
      placeholder: 'Type a message',
    });
    const form = h(
      'form',
      {
        class: 'chat-window__footer composer',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const text = input.value.trim();
          if (text === '') return;
          input.value = '';
          void this.platform.send(conversation, text);
        },
      },
      input,
      h('button', { type: 'submit', class: 'slds-button slds-button_neutral' }, 'Send'),
    );
    // Token expiry is a verified visitor's event: a guest's chat has no identity token to renew.
    const expire =
      this.platform.channel === 'enhanced' && !isGuest && window.embeddedservice_bootstrap?.userVerificationAPI
        ? h(
            'button',
            {
              type: 'button',
              class: 'slds-button slds-button_neutral slds-button_small',
              title: 'Fires onEmbeddedMessagingIdentityTokenExpired; the page has 30 s to send a new token.',
              onclick: () => this.platform.expireIdentityToken(),
            },
            'Simulate token expiry',
          )
        : null;
    // Enhanced Chat: the session can end while the conversation stays; writing again opens a new session.
    const sessionButtons = this.platform.channel === 'enhanced' && conversation.replayOf === null;
    const end = sessionButtons
      ? h(
          'button',
          {
            type: 'button',
            class: 'slds-button slds-button_neutral slds-button_small',
            title: 'Ends this MessagingSession (Status Ended); the conversation stays.',
            hidden: true,
            onclick: () => void this.platform.endSession(conversation),
          },
          'End chat',
        )
      : null;
    const writeAgain = sessionButtons
      ? h(
          'button',
          {
            type: 'button',
            class: 'slds-button slds-button_neutral slds-button_small',
            title: 'The customer writes again: a new MessagingSession in the same conversation.',
            hidden: true,
            onclick: () => {
              const text = input.value.trim() || WRITE_AGAIN_TEXT;
              input.value = '';
              void this.platform.writeAgain(conversation, text);
            },
          },
          'Write again',
        )
      : null;
    const sessions = h('p', { class: 'chat-sessions', 'data-testid': 'chat-sessions' });
    const status = h('span', { class: 'badge' }, 'starting');
    const title =
      conversation.replayOf === null ? `Chat ${conversation.number}` : `Chat ${conversation.number} (replay)`;
    const log = h('ol', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': `${title} messages` });
    const root = h(
      'section',
      { class: 'chat-window', 'aria-label': title, 'data-chat': String(conversation.number) },
      h('header', { class: 'chat-window__header' }, h('h3', {}, title), status, end, writeAgain, expire),
      sessions,
      log,
      form,
    );
    return { root, log, status, sessions, end, writeAgain, rendered: 0 };
  }

  private updateConversation(conversation: Conversation, view: ConversationView): void {
    const record = conversation.recordId
      ? `${conversation.channel === 'enhanced' ? 'MessagingSession' : 'LiveChatTranscript'} ${conversation.recordId}`
      : conversation.state;
    view.status.textContent =
      conversation.state === 'ended' ? 'ended' : conversation.state === 'session_ended' ? 'session ended' : record;
    view.root.classList.toggle('is-ended', conversation.state === 'ended');
    if (conversation.recordId) view.root.dataset.recordId = conversation.recordId;
    if (conversation.conversationId) view.root.dataset.conversationId = conversation.conversationId;
    view.root.dataset.state = conversation.state;
    if (view.end) view.end.hidden = conversation.state !== 'open';
    if (view.writeAgain) view.writeAgain.hidden = conversation.state !== 'session_ended';
    if (conversation.conversationId) {
      replaceChildren(
        view.sessions,
        `Conversation ${conversation.conversationId} · sessions: `,
        ...conversation.sessions.flatMap((session, index) => [
          index > 0 ? ' → ' : '',
          h(
            'span',
            { 'data-session': session.recordId, 'data-status': session.status },
            `${session.recordId} (${session.status})`,
          ),
        ]),
      );
    }
    for (const message of conversation.messages.slice(view.rendered)) view.log.append(messageItem(message));
    view.rendered = conversation.messages.length;
    view.log.scrollTop = view.log.scrollHeight;
  }
}

function messageItem(message: ChatMessage): HTMLElement {
  const verification = message.turn?.verification;
  const verdict = verification
    ? verification.verified
      ? h(
          'p',
          { class: 'verdict verdict_ok' },
          h('span', { class: 'chip chip_ok' }, 'verified'),
          ` ${verification.userId} · binding ${verification.binding} · token ${verification.tokenId}`,
        )
      : h(
          'p',
          { class: 'verdict verdict_bad' },
          h('code', { class: 'chip chip_bad' }, verification.reason ?? 'unknown'),
          ` ${verification.detail ?? ''}`,
        )
    : null;
  const turn = message.turn;
  return h(
    'li',
    {
      class: `msg msg_${message.from}`,
      'data-from': message.from,
      'data-verified': verification ? String(verification.verified) : null,
      'data-reason': verification?.reason ?? null,
      'data-token-id': verification?.tokenId ?? null,
      'data-user-id': verification?.userId ?? null,
      'data-binding': verification?.binding ?? null,
      'data-chat-id': turn?.chatId ?? null,
      'data-conversation-id': turn?.conversationId ?? null,
      'data-chat-record-id': turn?.action.chatRecordId ?? null,
      'data-session-key': turn?.action.sessionKey ?? null,
    },
    h('span', { class: 'msg__who' }, message.from === 'bot' ? 'Bot' : message.from === 'visitor' ? 'You' : 'Note'),
    h('p', { class: 'msg__text' }, message.text),
    verdict,
    turn ? actionNote(turn) : null,
  );
}

/** Says which record the action read and why, when that is the interesting part of the turn. */
function actionNote(turn: BotTurn): HTMLElement | null {
  const { action } = turn;
  if (action.chatRecordId !== turn.chatId) {
    return h(
      'p',
      { class: 'action-note action-note_bad', 'data-testid': 'action-note', 'data-outcome': 'misconfigured' },
      h('strong', {}, 'Misconfiguration: '),
      `the agent filled the Chat Record Id input from the conversation with ${action.chatRecordId} — not this chat ` +
        `(${turn.chatId}). ` +
        (turn.verification.verified
          ? `The other customer's chat came back verified, so the bot now acts for them. `
          : `This time the Apex refused that record (${turn.verification.reason}); another customer's live chat would ` +
            'have come back verified. ') +
        'The install guide binds the input to the RoutableId context variable, and org doctor (npm run org:doctor) ' +
        'fails its "Action inputs bound" check (action_inputs_unbound) for exactly this setup.',
    );
  }
  const notes: string[] = [];
  if (action.askedFor !== null && action.askedFor !== turn.chatId) {
    notes.push(
      `Chat Record Id = RoutableId context variable = ${action.chatRecordId} (this chat). The visitor asked for ` +
        `${action.askedFor}, but the agent cannot put another id into a bound input.`,
    );
  }
  if (action.tokenFrom !== null) {
    notes.push(
      `This session has no token of its own: the Apex took the one on ${action.tokenFrom} (same conversation, same ` +
        `end user), and the service checked it against the session key ${action.sessionKey ?? '—'} (the conversation).`,
    );
  }
  if (notes.length === 0) return null;
  return h(
    'p',
    {
      class: 'action-note',
      'data-testid': 'action-note',
      'data-outcome': action.askedFor !== null && action.askedFor !== turn.chatId ? 'bound' : 'carried-forward',
    },
    notes.join(' '),
  );
}
