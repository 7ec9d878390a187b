// The Enhanced Chat component on a guest's page: `@salesforce/user/isGuest` is true, so Apex is never called (guests
// have no access to the controller), the chat gets no identity and starts anonymous, and no error is shown.
import { createElement } from 'lwc';
import PrechatGuardEnhancedChat from 'c/prechatGuardEnhancedChat';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import { flushPromises } from '../../../../../test/jest-utils/identityFixtures';
import {
  dispatchChatEvent,
  installEmbeddedServiceBootstrap,
} from '../../../../../test/jest-mocks/embeddedservice/bootstrap';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/user/isGuest', () => ({ default: true }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;
const T0 = Date.parse('2026-11-23T16:00:00.000Z');

function mount(props: Record<string, unknown> = {}) {
  const element = createElement('c-prechat-guard-enhanced-chat', { is: PrechatGuardEnhancedChat });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const statusRegion = (element: HTMLElement) => element.shadowRoot!.querySelector('[role="status"]') as HTMLElement;
const alertRegion = (element: HTMLElement) => element.shadowRoot!.querySelector('[role="alert"]') as HTMLElement | null;

describe('c-prechat-guard-enhanced-chat on a guest page', () => {
  let chat: ReturnType<typeof installEmbeddedServiceBootstrap>;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    chat = installEmbeddedServiceBootstrap();
    // Were Apex called, it would fail as it does for a guest without the permission set.
    mockGetIdentity.mockRejectedValue({ body: { message: 'No access' }, ok: false, status: 403, statusText: '' });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    chat.uninstall();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('never calls Apex, gives the chat no identity and says the visitor is not signed in', async () => {
    const element = mount({ useUserVerification: true });
    dispatchChatEvent('onEmbeddedMessagingReady');
    await flushPromises();
    dispatchChatEvent('onEmbeddedMessagingButtonClicked');
    await jest.advanceTimersByTimeAsync(3_600_000);
    dispatchChatEvent('onEmbeddedMessagingConversationStarted', { conversationId: 'c-1' });
    await flushPromises();

    expect(mockGetIdentity).not.toHaveBeenCalled();
    expect(chat.calls).toEqual([]);
    const status = statusRegion(element);
    expect(status.textContent!.trim()).toBe(
      "You're not signed in. You can still chat; sign in first if you need help with your account.",
    );
    expect(status.getAttribute('aria-busy')).toBe('false');
    expect(alertRegion(element)).toBeNull();
    jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
    await expect(element).toBeAccessible();
  });

  it('shows no chat API error to a guest, even where the chat API is out of reach', async () => {
    chat.uninstall();
    const element = mount({ deliveryRoute: 'direct' });
    dispatchChatEvent('onEmbeddedMessagingReady');
    await flushPromises();

    expect(mockGetIdentity).not.toHaveBeenCalled();
    expect(alertRegion(element)).toBeNull();
    expect(statusRegion(element).textContent).toContain("You're not signed in");
    jest.useRealTimers(); // sa11y's axe run refuses Jest's fake clock
    await expect(element).toBeAccessible();
  });

  it('sends nothing through the head-markup route either', async () => {
    chat.uninstall();
    const bridged = jest.fn();
    window.addEventListener('prechatguard:chat-api', bridged);
    mount({ useUserVerification: true });
    dispatchChatEvent('prechatguard:ready');
    await flushPromises();
    window.removeEventListener('prechatguard:chat-api', bridged);

    expect(bridged).not.toHaveBeenCalled();
    expect(mockGetIdentity).not.toHaveBeenCalled();
  });
});
