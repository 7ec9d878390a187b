// The Enhanced Chat (Messaging for In-App and Web) client API: the `embeddedservice_bootstrap` window global created by
// the deployment's code snippet, and the window events it dispatches. Written from
// https://developer.salesforce.com/docs/service/messaging-web/references/m4w-reference/prechatAPI.html,
// .../userVerificationAPI.html and https://developer.salesforce.com/docs/service/messaging-web/guide/event-listeners.html
export {};

declare global {
  /** Hidden pre-chat values, keyed by the channel variable name (Parameter Mappings). Values must be strings. */
  type EmbeddedServiceHiddenPrechatFields = Record<string, string>;

  interface EmbeddedServicePrechatAPI {
    /** Call after onEmbeddedMessagingReady and before the conversation starts; later calls return an error. */
    setHiddenPrechatFields(fields: EmbeddedServiceHiddenPrechatFields): void;
    removeHiddenPrechatFields(fieldNames: string[]): void;
    setVisiblePrechatFields?(fields: Record<string, { value: string; isEditableByEndUser: boolean }>): void;
    removeVisiblePrechatFields?(fieldNames: string[]): void;
  }

  interface EmbeddedServiceIdentityToken {
    /** "Currently, this value must be JWT." */
    identityTokenType: 'JWT';
    identityToken: string;
  }

  interface EmbeddedServiceUserVerificationAPI {
    /** Call after onEmbeddedMessagingReady, in every tab and after every page load. */
    setIdentityToken(token: EmbeddedServiceIdentityToken): void;
    /** Call on logout; `true` also clears the user's data from the browser. */
    clearSession(shouldClearStorage?: boolean): void;
  }

  interface EmbeddedServiceBootstrap {
    prechatAPI: EmbeddedServicePrechatAPI;
    userVerificationAPI?: EmbeddedServiceUserVerificationAPI;
    settings?: Record<string, unknown>;
  }

  interface Window {
    embeddedservice_bootstrap?: EmbeddedServiceBootstrap;
  }

  interface WindowEventMap {
    /** The API is ready: on page load, after clearSession, and after an anonymous conversation closes. */
    onEmbeddedMessagingReady: Event;
    /** Both tokens expired; answer with setIdentityToken within 30 s or the session is cleared. */
    onEmbeddedMessagingIdentityTokenExpired: Event;
    onEmbeddedMessagingButtonClicked: Event;
    /** Current name of the "conversation started" event (detail: { conversationId }). */
    onEmbeddedMessagingConversationStarted: CustomEvent<{ conversationId?: string }>;
    /** Older name of the same event in earlier versions of the guide. */
    onEmbeddedMessagingConversationCreated: CustomEvent<{ conversationId?: string }>;
  }
}
