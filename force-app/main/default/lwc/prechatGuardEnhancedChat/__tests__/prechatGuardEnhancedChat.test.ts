import { createElement } from 'lwc';
import PrechatGuardEnhancedChat from 'c/prechatGuardEnhancedChat';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import {
  GUEST_RESPONSE,
  USER_ID,
  apexError,
  flushPromises,
  signedInResponse,
} from '../../../../../test/jest-utils/identityFixtures';
import {
  dispatchChatEvent,
  installEmbeddedServiceBootstrap,
} from '../../../../../test/jest-mocks/embeddedservice/bootstrap';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
// A member's page. Guest pages: prechatGuardEnhancedChat.guest.test.ts.
jest.mock('@salesforce/user/isGuest', () => ({ default: false }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;
const T0 = Date.parse('2026-11-23T16:00:00.000Z');
const READY = 'onEmbeddedMessagingReady';
const EXPIRED = 'onEmbeddedMessagingIdentityTokenExpired';

type ChatApi = ReturnType<typeof installEmbeddedServiceBootstrap>;

interface Props {
  userIdFieldName?: string;
  tokenFieldName?: string;
  tokenSecondFieldName?: string;
  useUserVerification?: boolean;
  deliveryRoute?: string;
}

function mount(props: Props = {}) {
  const element = createElement('c-prechat-guard-enhanced-chat', { is: PrechatGuardEnhancedChat });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const statusRegion = (element: HTMLElement) => element.shadowRoot!.querySelector('[role="status"]') as HTMLElement;
const alertRegion = (element: HTMLElement) => element.shadowRoot!.querySelector('[role="alert"]') as HTMLElement | null;
/** The rendered markup, attributes included: read (never written) to prove a value appears nowhere in it. */
// eslint-disable-next-line @lwc/lwc/no-inner-html -- only reads the markup; the rule guards against writing HTML
const markupOf = (node: Element | ShadowRoot) => node.innerHTML;

describe('c-prechat-guard-enhanced-chat', () => {
  let chat: ChatApi;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    chat = installEmbeddedServiceBootstrap();
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    chat.uninstall();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  describe('signed-in user', () => {
    it('sets the hidden pre-chat fields to exactly the user id and token from Apex after the chat is ready', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      const element = mount();
      await flushPromises();
      expect(chat.calls).toEqual([]); // not before onEmbeddedMessagingReady

      dispatchChatEvent(READY);
      await flushPromises();

      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: response.token },
      ]);
      expect(chat.callsTo('setIdentityToken')).toEqual([]);
      expect(statusRegion(element).textContent!.trim()).toBe("Chat will know you're signed in, Ada.");
      expect(alertRegion(element)).toBeNull();
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });

    it('works when the chat is ready before Apex answers', async () => {
      let answer: (value: unknown) => void = () => undefined;
      mockGetIdentity.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
      const response = signedInResponse(T0);
      mount();

      dispatchChatEvent(READY);
      await flushPromises();
      expect(chat.calls).toEqual([]);

      answer(response);
      await flushPromises();
      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: response.token },
      ]);
    });

    it('uses the hidden field names from the design attributes', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      mount({ userIdFieldName: 'Site_User', tokenFieldName: 'Site_Token' });

      dispatchChatEvent(READY);
      await flushPromises();

      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([{ Site_User: USER_ID, Site_Token: response.token }]);
    });

    it('splits the token across two hidden fields when a second field is configured', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      mount({ tokenSecondFieldName: 'PrechatGuard_Token_2' });

      dispatchChatEvent(READY);
      await flushPromises();

      const [fields] = chat.callsTo('setHiddenPrechatFields') as Array<Record<string, string>>;
      expect(Object.keys(fields!).sort()).toEqual([
        'PrechatGuard_Token',
        'PrechatGuard_Token_2',
        'PrechatGuard_UserId',
      ]);
      expect(fields!.PrechatGuard_Token! + fields!.PrechatGuard_Token_2!).toBe(response.token);
      expect(fields!.PrechatGuard_Token!.length).toBeLessThan(response.token!.length);
      expect(fields!.PrechatGuard_Token_2!.length).toBeGreaterThan(0);
    });

    it('also sets the identity token when user verification is turned on', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      mount({ useUserVerification: true });

      dispatchChatEvent(READY);
      await flushPromises();

      expect(chat.callsTo('setIdentityToken')).toEqual([{ identityTokenType: 'JWT', identityToken: response.token }]);
      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: response.token },
      ]);
    });

    it('never puts the token or user id into the page', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      expect(markupOf(element.shadowRoot!)).not.toContain(response.token);
      expect(markupOf(element.shadowRoot!)).not.toContain(USER_ID);
      expect(markupOf(document.body)).not.toContain(response.token);
    });
  });

  describe('token refresh', () => {
    it('replaces the hidden token before it expires while the visitor has not started chatting', async () => {
      const first = signedInResponse(T0);
      const second = signedInResponse(T0 + 240_000);
      mockGetIdentity.mockResolvedValueOnce(first).mockResolvedValueOnce(second);
      mount();
      dispatchChatEvent(READY);
      await flushPromises();

      await jest.advanceTimersByTimeAsync(239_000);
      expect(mockGetIdentity).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1_000);
      await flushPromises();

      expect(mockGetIdentity).toHaveBeenCalledTimes(2);
      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: first.token },
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: second.token },
      ]);
    });

    it('fetches a new token when the chat button is clicked with a token near expiry', async () => {
      const first = signedInResponse(T0);
      const second = signedInResponse(T0 + 250_000);
      mockGetIdentity.mockResolvedValueOnce(first).mockResolvedValueOnce(second);
      mount();
      dispatchChatEvent(READY);
      await flushPromises();

      jest.setSystemTime(T0 + 250_000); // clock moved (e.g. a suspended laptop); the timer has not fired
      dispatchChatEvent('onEmbeddedMessagingButtonClicked');
      await flushPromises();

      expect(mockGetIdentity).toHaveBeenCalledTimes(2);
      expect(chat.callsTo('setHiddenPrechatFields').at(-1)).toEqual({
        PrechatGuard_UserId: USER_ID,
        PrechatGuard_Token: second.token,
      });
    });

    it('does not call Apex again for a button click while the token is fresh', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      mount();
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent('onEmbeddedMessagingButtonClicked');
      await flushPromises();

      expect(mockGetIdentity).toHaveBeenCalledTimes(1);
    });

    it('stops refreshing once the conversation has started', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      mount();
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent('onEmbeddedMessagingConversationStarted', { conversationId: 'c-1' });
      await jest.advanceTimersByTimeAsync(3_600_000);

      expect(mockGetIdentity).toHaveBeenCalledTimes(1);
      expect(chat.callsTo('setHiddenPrechatFields')).toHaveLength(1);
    });
  });

  describe('identity token expired', () => {
    it('answers with a new token from Apex well within the 30 s window', async () => {
      const first = signedInResponse(T0);
      const renewed = signedInResponse(T0 + 600_000);
      mockGetIdentity.mockResolvedValueOnce(first).mockResolvedValueOnce(renewed);
      mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();
      dispatchChatEvent('onEmbeddedMessagingConversationStarted', { conversationId: 'c-1' });

      jest.setSystemTime(T0 + 600_000);
      dispatchChatEvent(EXPIRED);
      await flushPromises();

      expect(Date.now() - (T0 + 600_000)).toBeLessThan(30_000);
      expect(chat.callsTo('setIdentityToken')).toEqual([
        { identityTokenType: 'JWT', identityToken: first.token },
        { identityTokenType: 'JWT', identityToken: renewed.token },
      ]);
      // The conversation is under way: hidden fields are not touched again.
      expect(chat.callsTo('setHiddenPrechatFields')).toHaveLength(1);
    });

    it('shows an error and sends no stale token when Apex does not answer in time', async () => {
      const first = signedInResponse(T0);
      mockGetIdentity.mockResolvedValueOnce(first).mockImplementationOnce(() => new Promise(() => undefined));
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent(EXPIRED);
      await jest.advanceTimersByTimeAsync(20_000);
      await flushPromises();

      expect(chat.callsTo('setIdentityToken')).toEqual([{ identityTokenType: 'JWT', identityToken: first.token }]);
      expect(alertRegion(element)!.textContent).toContain('took too long');
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });

    it('clears the verified session when the visitor turns out to be signed out', async () => {
      mockGetIdentity.mockResolvedValueOnce(signedInResponse(T0)).mockResolvedValueOnce(GUEST_RESPONSE);
      mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent(EXPIRED);
      await flushPromises();

      expect(chat.callsTo('clearSession')).toEqual([true]);
    });

    it('ignores the event when user verification is off', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      mount();
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent(EXPIRED);
      await flushPromises();

      expect(mockGetIdentity).toHaveBeenCalledTimes(1);
      expect(chat.callsTo('setIdentityToken')).toEqual([]);
    });
  });

  describe('errors', () => {
    it('shows the Apex failure as an alert and gives the chat no identity', async () => {
      mockGetIdentity.mockRejectedValue(apexError('Certificate PrechatGuard_Signing not found'));
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      const alert = alertRegion(element)!;
      expect(alert.textContent).toContain("We couldn't confirm that you're signed in");
      expect(alert.textContent).toContain('apex_error');
      expect(alert.textContent).not.toContain('PrechatGuard_Signing');
      expect(chat.calls).toEqual([]);
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });

    it('withdraws the hidden fields when a refresh fails, so the chat cannot start with a stale token', async () => {
      mockGetIdentity.mockResolvedValueOnce(signedInResponse(T0)).mockRejectedValueOnce(apexError('Down', 503));
      const element = mount();
      dispatchChatEvent(READY);
      await flushPromises();

      await jest.advanceTimersByTimeAsync(240_000);
      await flushPromises();

      expect(chat.callsTo('removeHiddenPrechatFields')).toEqual([['PrechatGuard_UserId', 'PrechatGuard_Token']]);
      expect(alertRegion(element)).not.toBeNull();
    });

    it('recovers through the Try again button', async () => {
      const response = signedInResponse(T0);
      mockGetIdentity.mockRejectedValueOnce(apexError('Temporary')).mockResolvedValueOnce(response);
      const element = mount();
      dispatchChatEvent(READY);
      await flushPromises();

      const button = alertRegion(element)!.querySelector('button')!;
      expect(button.getAttribute('type')).toBe('button');
      expect(button.getAttribute('aria-label')).toBe('Try again to confirm your sign-in for chat');
      button.click();
      await flushPromises();

      expect(alertRegion(element)).toBeNull();
      expect(chat.callsTo('setHiddenPrechatFields')).toEqual([
        { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: response.token },
      ]);
    });

    it('reports when the chat rejects the hidden fields (e.g. a field longer than its maximum length)', async () => {
      chat.uninstall();
      chat = installEmbeddedServiceBootstrap({ rejectHiddenFields: true });
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const element = mount();
      dispatchChatEvent(READY);
      await flushPromises();

      expect(alertRegion(element)!.textContent).toContain('chat_api_rejected');
    });

    it('reports when user verification is requested but the deployment has no verification API', async () => {
      chat.uninstall();
      chat = installEmbeddedServiceBootstrap({ userVerification: false });
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      expect(alertRegion(element)!.textContent).toContain('verification_unavailable');
    });
  });

  describe('guest', () => {
    it('sets no identity fields and no token, and says chat still works', async () => {
      mockGetIdentity.mockResolvedValue(GUEST_RESPONSE);
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      expect(chat.calls).toEqual([]);
      expect(statusRegion(element).textContent).toContain("You're not signed in. You can still chat");
      expect(alertRegion(element)).toBeNull();
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });
  });

  describe('logout', () => {
    it('clears the verified session and removes the hidden fields', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const element = mount({ useUserVerification: true });
      dispatchChatEvent(READY);
      await flushPromises();

      dispatchChatEvent('prechatguard:logout');
      await flushPromises();

      expect(chat.callsTo('removeHiddenPrechatFields')).toEqual([['PrechatGuard_UserId', 'PrechatGuard_Token']]);
      expect(chat.callsTo('clearSession')).toEqual([true]);
      expect(statusRegion(element).textContent).toContain("You've signed out");
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });
  });

  describe('head-markup route (Lightning Web Security)', () => {
    it('hands the calls to the page script as prechatguard:chat-api events when the global is not visible', async () => {
      chat.uninstall();
      const response = signedInResponse(T0);
      mockGetIdentity.mockResolvedValue(response);
      const bridged: unknown[] = [];
      const listener = (event: Event) => bridged.push((event as CustomEvent).detail);
      window.addEventListener('prechatguard:chat-api', listener);
      const hello = jest.fn();
      window.addEventListener('prechatguard:connected', hello);

      mount({ useUserVerification: true });
      expect(hello).toHaveBeenCalledTimes(1);
      dispatchChatEvent('prechatguard:ready');
      await flushPromises();
      window.removeEventListener('prechatguard:chat-api', listener);
      window.removeEventListener('prechatguard:connected', hello);

      expect(bridged).toEqual([
        {
          action: 'setHiddenPrechatFields',
          fields: { PrechatGuard_UserId: USER_ID, PrechatGuard_Token: response.token },
        },
        { action: 'setIdentityToken', identityTokenType: 'JWT', identityToken: response.token },
      ]);
    });

    it('uses the page script even when the global is visible if the admin chose page-script', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const listener = jest.fn();
      window.addEventListener('prechatguard:chat-api', listener);
      mount({ deliveryRoute: 'page-script' });
      dispatchChatEvent(READY);
      await flushPromises();
      window.removeEventListener('prechatguard:chat-api', listener);

      expect(listener).toHaveBeenCalledTimes(1);
      expect(chat.calls).toEqual([]);
    });

    it('reports an error instead of guessing when the admin chose direct and the global is missing', async () => {
      chat.uninstall();
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const element = mount({ deliveryRoute: 'direct' });
      dispatchChatEvent(READY);
      await flushPromises();

      expect(alertRegion(element)!.textContent).toContain('chat_api_unavailable');
    });
  });

  describe('lifecycle and accessibility', () => {
    it('announces loading in a polite, atomic live region marked busy', async () => {
      mockGetIdentity.mockImplementation(() => new Promise(() => undefined));
      const element = mount();
      await flushPromises();

      const status = statusRegion(element);
      expect(status.getAttribute('aria-live')).toBe('polite');
      expect(status.getAttribute('aria-atomic')).toBe('true');
      expect(status.getAttribute('aria-busy')).toBe('true');
      expect(status.textContent!.trim()).toBe('Checking your sign-in for chat…');
      jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
      await expect(element).toBeAccessible();
    });

    it('keeps the same live region after loading and clears aria-busy', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0, { firstName: null }));
      const element = mount();
      const before = statusRegion(element);
      await flushPromises();

      expect(statusRegion(element)).toBe(before);
      expect(before.getAttribute('aria-busy')).toBe('false');
      expect(before.textContent!.trim()).toBe("Chat will know you're signed in.");
    });

    it('stops listening to chat events once removed from the page', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(T0));
      const element = mount();
      await flushPromises();
      document.body.removeChild(element);

      dispatchChatEvent(READY);
      await jest.advanceTimersByTimeAsync(600_000);

      expect(chat.calls).toEqual([]);
      expect(mockGetIdentity).toHaveBeenCalledTimes(1);
    });
  });
});
