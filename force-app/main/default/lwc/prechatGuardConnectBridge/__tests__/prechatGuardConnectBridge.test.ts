import { createElement } from 'lwc';
import PrechatGuardConnectBridge from 'c/prechatGuardConnectBridge';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import {
  GUEST_RESPONSE,
  apexError,
  flushPromises,
  signedInResponse,
} from '../../../../../test/jest-utils/identityFixtures';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
// A member's page. Guest pages: prechatGuardConnectBridge.guest.test.ts.
jest.mock('@salesforce/user/isGuest', () => ({ default: false }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;

function mount(): HTMLElement {
  const element = createElement('c-prechat-guard-connect-bridge', { is: PrechatGuardConnectBridge });
  document.body.appendChild(element);
  return element;
}

/** Sends the head script's request and collects the bridge's answers. */
async function ask(): Promise<unknown[]> {
  const answers: unknown[] = [];
  const listener = (event: Event) => answers.push((event as CustomEvent).detail);
  document.addEventListener('prechatguard:identity', listener);
  document.dispatchEvent(new CustomEvent('prechatguard:identity-request'));
  await flushPromises();
  document.removeEventListener('prechatguard:identity', listener);
  return answers;
}

describe('c-prechat-guard-connect-bridge', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('answers a request with exactly the token from Apex, as a plain string', async () => {
    const response = signedInResponse(Date.now());
    mockGetIdentity.mockResolvedValue(response);
    mount();
    expect(await ask()).toEqual([response.token]);
  });

  it('asks Apex again for every request: an exchanged token is consumed', async () => {
    const first = signedInResponse(Date.now());
    const second = signedInResponse(Date.now());
    mockGetIdentity.mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    mount();
    expect(await ask()).toEqual([first.token]);
    expect(await ask()).toEqual([second.token]);
    expect(mockGetIdentity).toHaveBeenCalledTimes(2);
  });

  it('answers null for a guest and for an Apex error, without the error text', async () => {
    mockGetIdentity.mockResolvedValueOnce(GUEST_RESPONSE).mockRejectedValueOnce(apexError('Internal details'));
    mount();
    expect(await ask()).toEqual([null]);
    expect(await ask()).toEqual([null]);
  });

  it('renders nothing and stops answering once removed from the page', async () => {
    mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
    const element = mount();
    expect(element.shadowRoot!.childElementCount).toBe(0);
    await expect(element).toBeAccessible();
    document.body.removeChild(element);
    expect(await ask()).toEqual([]);
    expect(mockGetIdentity).not.toHaveBeenCalled();
  });
});
