// The Amazon Connect bridge on a guest's page: `@salesforce/user/isGuest` is true, so it answers null without Apex.
import { createElement } from 'lwc';
import PrechatGuardConnectBridge from 'c/prechatGuardConnectBridge';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import { flushPromises } from '../../../../../test/jest-utils/identityFixtures';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/user/isGuest', () => ({ default: true }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;

describe('c-prechat-guard-connect-bridge on a guest page', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('answers null without calling Apex', async () => {
    const element = createElement('c-prechat-guard-connect-bridge', { is: PrechatGuardConnectBridge });
    document.body.appendChild(element);
    const answers: unknown[] = [];
    const listener = (event: Event) => answers.push((event as CustomEvent).detail);
    document.addEventListener('prechatguard:identity', listener);

    document.dispatchEvent(new CustomEvent('prechatguard:identity-request'));
    await flushPromises();
    document.removeEventListener('prechatguard:identity', listener);

    expect(answers).toEqual([null]);
    expect(mockGetIdentity).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });
});
