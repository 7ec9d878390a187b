// The seam between the component and Enhanced Chat's `embeddedservice_bootstrap` client API. Everything that touches
// the window global lives here, so tests, a browser demo, or a page without the global can swap the route.
//
// Two routes, same four operations:
// - direct: call window.embeddedservice_bootstrap (works when the component's sandbox can see the global);
// - page script: dispatch a `prechatguard:chat-api` window event that a head-markup script (docs/lwc.md, "Lightning Web Security") turns into the
//   same calls. That is the route for Lightning Web Security, which may hide page globals from component sandboxes.

/** Window events this component listens to or sends. */
export const CHAT_EVENTS = {
  ready: 'onEmbeddedMessagingReady',
  tokenExpired: 'onEmbeddedMessagingIdentityTokenExpired',
  buttonClicked: 'onEmbeddedMessagingButtonClicked',
  conversationStarted: ['onEmbeddedMessagingConversationStarted', 'onEmbeddedMessagingConversationCreated'],
  /** Sent by the head-markup script when it saw onEmbeddedMessagingReady (relay for sandboxes that cannot). */
  bridgeReady: 'prechatguard:ready',
  /** Sent by this component on connect, so a head-markup script that is already ready can say so again. */
  hello: 'prechatguard:connected',
  /** Sent by the component for the page-script route. */
  bridgeCall: 'prechatguard:chat-api',
  /** Sent by the site (e.g. its logout link) to end the verified chat session. */
  logout: 'prechatguard:logout',
} as const;

export type ChatApiCall =
  | { action: 'setHiddenPrechatFields'; fields: Record<string, string> }
  | { action: 'removeHiddenPrechatFields'; fieldNames: string[] }
  | { action: 'setIdentityToken'; identityTokenType: 'JWT'; identityToken: string }
  | { action: 'clearSession' };

export type ChatRoute = 'direct' | 'page-script';

export interface ChatDelivery {
  readonly route: ChatRoute;
  setHiddenFields(fields: Record<string, string>): void;
  removeHiddenFields(fieldNames: string[]): void;
  setIdentityToken(token: string): void;
  clearSession(): void;
}

/** The deployment's client API when this code can reach it. */
export function findBootstrap(): EmbeddedServiceBootstrap | undefined {
  const bootstrap = typeof window === 'undefined' ? undefined : window.embeddedservice_bootstrap;
  return bootstrap && typeof bootstrap.prechatAPI === 'object' ? bootstrap : undefined;
}

export type ChatApiErrorCode = 'chat_api_unavailable' | 'verification_unavailable' | 'chat_api_rejected';

const CHAT_API_MESSAGES: Record<ChatApiErrorCode, string> = {
  chat_api_unavailable: "This page's chat can't receive your sign-in details. You can still chat, but as a guest.",
  verification_unavailable:
    "This site's chat doesn't offer sign-in verification. You can still chat, but the assistant won't know you.",
  chat_api_rejected:
    "The chat didn't accept your sign-in details. You can still chat, but the assistant won't know who you are.",
};

/** A failure of the chat client API, with a stable code and a sentence for the visitor. */
export class ChatApiError extends Error {
  readonly code: ChatApiErrorCode;

  constructor(code: ChatApiErrorCode) {
    super(CHAT_API_MESSAGES[code]);
    this.name = 'ChatApiError';
    this.code = code;
  }
}

function directDelivery(bootstrap: EmbeddedServiceBootstrap): ChatDelivery {
  const verification = (): EmbeddedServiceUserVerificationAPI => {
    if (!bootstrap.userVerificationAPI) {
      throw new ChatApiError('verification_unavailable');
    }
    return bootstrap.userVerificationAPI;
  };
  return {
    route: 'direct',
    setHiddenFields: (fields) => bootstrap.prechatAPI.setHiddenPrechatFields(fields),
    removeHiddenFields: (fieldNames) => bootstrap.prechatAPI.removeHiddenPrechatFields(fieldNames),
    setIdentityToken: (token) => verification().setIdentityToken({ identityTokenType: 'JWT', identityToken: token }),
    clearSession: () => verification().clearSession(true),
  };
}

function pageScriptDelivery(target: EventTarget): ChatDelivery {
  // Plain objects only in `detail`: they cross sandbox boundaries intact.
  const send = (call: ChatApiCall): void => {
    target.dispatchEvent(new CustomEvent(CHAT_EVENTS.bridgeCall, { detail: call }));
  };
  return {
    route: 'page-script',
    setHiddenFields: (fields) => send({ action: 'setHiddenPrechatFields', fields: { ...fields } }),
    removeHiddenFields: (fieldNames) => send({ action: 'removeHiddenPrechatFields', fieldNames: [...fieldNames] }),
    setIdentityToken: (token) => send({ action: 'setIdentityToken', identityTokenType: 'JWT', identityToken: token }),
    clearSession: () => send({ action: 'clearSession' }),
  };
}

export type DeliveryPreference = 'auto' | 'direct' | 'page-script';

/** Picks the route at the moment of use: `auto` prefers the global and falls back to the page script. */
export function chooseDelivery(preference: DeliveryPreference, target: EventTarget = window): ChatDelivery {
  const bootstrap = preference === 'page-script' ? undefined : findBootstrap();
  if (bootstrap) {
    return directDelivery(bootstrap);
  }
  if (preference === 'direct') {
    throw new ChatApiError('chat_api_unavailable');
  }
  return pageScriptDelivery(target);
}
