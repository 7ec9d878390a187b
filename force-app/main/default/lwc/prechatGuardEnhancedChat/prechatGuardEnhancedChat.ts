// Experience Cloud page component for Enhanced Chat. Placed next to the Enhanced Chat deployment, it gives the chat
// the signed-in user's id and identity token as hidden pre-chat fields once the chat API is ready, optionally hands
// the same token to Enhanced Chat user verification (and renews it when the chat says it expired), and leaves guests
// anonymous. It shows one short, screen-reader-announced status line, and an alert when something fails.
import { LightningElement, api } from 'lwc';
import { IdentityClient, toIdentityError, type ChatIdentity } from 'c/prechatGuardIdentity';
import { CHAT_EVENTS, ChatApiError, chooseDelivery, type ChatDelivery, type DeliveryPreference } from './chatDelivery';

type Status = 'loading' | 'user' | 'guest' | 'signed-out' | 'error';

/** Shortest wait between background refreshes, whatever the token's lifetime. */
const MIN_REFRESH_DELAY_MS = 1_000;

export default class PrechatGuardEnhancedChat extends LightningElement {
  /** Channel variable name of the hidden pre-chat field that carries the user id. */
  @api userIdFieldName = 'PrechatGuard_UserId';
  /** Channel variable name of the hidden pre-chat field that carries the identity token. */
  @api tokenFieldName = 'PrechatGuard_Token';
  /**
   * Optional second hidden field for channels whose parameters cannot take a whole token: when set, the token is split
   * in two and the Omni-Channel subflow PrechatGuard_Save_Chat_Identity joins the halves again.
   */
  @api tokenSecondFieldName = '';
  /** Also call userVerificationAPI.setIdentityToken (only where Salesforce supports user verification). */
  @api useUserVerification = false;
  /** How to reach the chat API: auto (the global if visible, else the head-markup script), direct, page-script. */
  @api deliveryRoute: DeliveryPreference = 'auto';

  status: Status = 'loading';
  firstName: string | null = null;
  errorMessage = '';
  errorCode = '';

  private identity = new IdentityClient();
  private chatReady = false;
  private conversationStarted = false;
  /** The token currently in the hidden fields (several syncs may finish with the same identity). */
  private hiddenToken: string | undefined;
  private identityTokenSent = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on disconnect so late Apex answers do nothing. */
  private generation = 0;
  private readonly listeners: Array<[string, EventListener]> = [
    [CHAT_EVENTS.ready, () => this.handleChatReady()],
    [CHAT_EVENTS.bridgeReady, () => this.handleChatReady()],
    [
      CHAT_EVENTS.buttonClicked,
      () => {
        void this.sync();
      },
    ],
    [
      CHAT_EVENTS.tokenExpired,
      () => {
        void this.handleTokenExpired();
      },
    ],
    [CHAT_EVENTS.logout, () => this.handleLogout()],
    ...CHAT_EVENTS.conversationStarted.map((name): [string, EventListener] => [
      name,
      () => this.handleConversationStarted(),
    ]),
  ];

  override connectedCallback(): void {
    for (const [name, listener] of this.listeners) {
      window.addEventListener(name, listener);
    }
    // A head-markup script that saw onEmbeddedMessagingReady before this component existed answers with bridgeReady.
    window.dispatchEvent(new CustomEvent(CHAT_EVENTS.hello));
    void this.sync();
  }

  override disconnectedCallback(): void {
    for (const [name, listener] of this.listeners) {
      window.removeEventListener(name, listener);
    }
    this.generation += 1;
    this.clearRefreshTimer();
  }

  get statusText(): string {
    switch (this.status) {
      case 'loading':
        return 'Checking your sign-in for chat…';
      case 'user':
        return this.firstName
          ? `Chat will know you're signed in, ${this.firstName}.`
          : "Chat will know you're signed in.";
      case 'guest':
        return "You're not signed in. You can still chat; sign in first if you need help with your account.";
      case 'signed-out':
        return "You've signed out, so chat no longer knows who you are.";
      default:
        return '';
    }
  }

  get ariaBusy(): string {
    return String(this.status === 'loading');
  }

  get hasError(): boolean {
    return this.status === 'error';
  }

  handleRetry(): void {
    void this.sync(true);
  }

  private handleChatReady(): void {
    // Ready fires on every page load and again after a conversation ends: start a fresh cycle.
    this.chatReady = true;
    this.conversationStarted = false;
    this.hiddenToken = undefined;
    this.identityTokenSent = false;
    void this.sync();
  }

  private handleConversationStarted(): void {
    // Hidden fields are frozen once the conversation begins; stop refreshing them.
    this.conversationStarted = true;
    this.clearRefreshTimer();
  }

  private async handleTokenExpired(): Promise<void> {
    if (!this.useUserVerification) {
      return;
    }
    const generation = this.generation;
    let identity: ChatIdentity;
    try {
      // Always a new token: Salesforce clears the session if none arrives within 30 s (IdentityClient times out first).
      identity = await this.identity.refresh();
    } catch (error) {
      if (generation === this.generation) this.showError(toIdentityError(error));
      return;
    }
    if (generation !== this.generation) return;
    this.showIdentity(identity);
    this.tryChatApi((delivery) => {
      if (identity.kind === 'user') {
        delivery.setIdentityToken(identity.token);
        this.identityTokenSent = true;
      } else {
        delivery.clearSession();
        this.identityTokenSent = false;
      }
    });
  }

  private handleLogout(): void {
    this.identity.clear();
    this.clearRefreshTimer();
    this.withdraw();
    this.firstName = null;
    this.status = 'signed-out';
  }

  /** Gets a fresh identity (Apex only when the cached one is missing or about to expire) and hands it to the chat. */
  private async sync(forceRefresh = false): Promise<void> {
    const generation = this.generation;
    if (this.status === 'error') {
      this.status = 'loading';
    }
    let identity: ChatIdentity;
    try {
      identity = await (forceRefresh ? this.identity.refresh() : this.identity.get());
    } catch (error) {
      if (generation !== this.generation) return;
      this.clearRefreshTimer();
      // Never leave an old token in the chat when a new one cannot be had.
      this.withdraw();
      this.showError(toIdentityError(error));
      return;
    }
    if (generation !== this.generation) return;
    this.showIdentity(identity);
    if (this.chatReady && !this.conversationStarted) {
      this.deliver(identity);
      this.scheduleRefresh(identity);
    }
  }

  private deliver(identity: ChatIdentity): void {
    if (identity.kind === 'guest') {
      // Guests get no identity fields; if they had some (session ended), take them back. Otherwise there is nothing to
      // hand over, so a guest never touches the chat API and never sees a chat API error.
      if (this.hiddenToken !== undefined || this.identityTokenSent) {
        this.tryChatApi((delivery) => this.withdrawWith(delivery));
      }
      return;
    }
    this.tryChatApi((delivery) => {
      if (this.hiddenToken !== identity.token) {
        delivery.setHiddenFields({ [this.userIdFieldName]: identity.userId, ...this.tokenFields(identity.token) });
        this.hiddenToken = identity.token;
      }
      if (this.useUserVerification && !this.identityTokenSent) {
        delivery.setIdentityToken(identity.token);
        this.identityTokenSent = true;
      }
    });
  }

  /** The token's hidden field(s): whole, or split in two halves when a second field is configured. */
  private tokenFields(token: string): Record<string, string> {
    const second = this.tokenSecondFieldName?.trim();
    if (!second) return { [this.tokenFieldName]: token };
    const half = Math.ceil(token.length / 2);
    return { [this.tokenFieldName]: token.slice(0, half), [second]: token.slice(half) };
  }

  private withdraw(): void {
    if (this.hiddenToken !== undefined || this.identityTokenSent) {
      this.tryChatApi((delivery) => this.withdrawWith(delivery), false);
    }
  }

  private withdrawWith(delivery: ChatDelivery): void {
    if (this.hiddenToken !== undefined && !this.conversationStarted) {
      delivery.removeHiddenFields([this.userIdFieldName, ...Object.keys(this.tokenFields(''))]);
    }
    this.hiddenToken = undefined;
    if (this.identityTokenSent) {
      delivery.clearSession();
      this.identityTokenSent = false;
    }
  }

  /** Runs chat API calls; a failure becomes a visible ChatApiError (unless `report` is false). */
  private tryChatApi(work: (delivery: ChatDelivery) => void, report = true): void {
    try {
      work(chooseDelivery(this.deliveryRoute));
    } catch (error) {
      if (report) {
        this.showError(error instanceof ChatApiError ? error : new ChatApiError('chat_api_rejected'));
      }
    }
  }

  private scheduleRefresh(identity: ChatIdentity): void {
    this.clearRefreshTimer();
    if (identity.kind !== 'user') return;
    const delay = Math.max(identity.refreshAt - Date.now(), MIN_REFRESH_DELAY_MS);
    // A timer is the only way to renew the hidden token before it expires while the visitor has not started chatting.
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- cleared on disconnect, on conversation start and on errors
    this.refreshTimer = setTimeout(() => {
      void this.sync();
    }, delay);
  }

  private clearRefreshTimer(): void {
    if (this.refreshTimer !== undefined) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
    }
  }

  private showIdentity(identity: ChatIdentity): void {
    if (identity.kind === 'user') {
      this.firstName = identity.firstName;
      this.status = 'user';
    } else {
      this.firstName = null;
      this.status = 'guest';
    }
    this.errorMessage = '';
    this.errorCode = '';
  }

  private showError(error: { code: string; message: string }): void {
    this.status = 'error';
    this.errorMessage = error.message;
    this.errorCode = error.code;
  }
}
