// The legacy pre-chat form on a guest's page: `@salesforce/user/isGuest` is true, so Apex is never called (guests have
// no access to the controller) and the chat starts anonymous.
import { createElement } from 'lwc';
import PrechatGuardLegacyPrechat from 'c/prechatGuardLegacyPrechat';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
import { basePrechatRecorder } from '../../../../../../force-app/test/jest-mocks/lightningsnapin/basePrechat';
import { flushPromises } from '../../../../../../force-app/test/jest-utils/identityFixtures';
import { installSnippetSettings, type InstalledSnippetSettings } from '../../../../../test/jest-utils/snippetSettings';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/user/isGuest', () => ({ default: true }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;

const PRECHAT_FIELDS = [
  { label: 'First Name', name: 'FirstName', value: 'Ada', required: true, maxLength: 40 },
  { label: 'Subject', name: 'Subject', value: 'Order question', required: false, maxLength: 255 },
];

function mount() {
  const element = createElement('c-prechat-guard-legacy-prechat', { is: PrechatGuardLegacyPrechat });
  Object.assign(element, { prechatFields: PRECHAT_FIELDS.map((field) => ({ ...field })) });
  document.body.appendChild(element);
  return element;
}

const root = (element: HTMLElement) => element.shadowRoot!;

describe('c-prechat-guard-legacy-prechat on a guest page', () => {
  let snippet: InstalledSnippetSettings;

  beforeEach(() => {
    basePrechatRecorder.reset();
    // Were Apex called, it would fail as it does for a guest without the permission set.
    mockGetIdentity.mockRejectedValue({ body: { message: 'No access' }, ok: false, status: 403, statusText: '' });
    snippet = installSnippetSettings();
  });

  afterEach(() => {
    snippet.uninstall();
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('says the visitor is not signed in without calling Apex', async () => {
    const element = mount();
    await flushPromises();

    expect(root(element).querySelector('[role="status"]')!.textContent).toContain(
      "You're not signed in. You can still chat",
    );
    expect(root(element).querySelector('[role="alert"]')).toBeNull();
    expect(mockGetIdentity).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it('starts an anonymous chat: the listener gets null values and the extra details keep no value', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handOvers: unknown[] = [];
    const listener = (event: Event) => handOvers.push((event as CustomEvent).detail);
    document.addEventListener('prechatguard:legacy-prechat', listener);
    const element = mount();
    await flushPromises();

    root(element)
      .querySelector('form')!
      .dispatchEvent(new CustomEvent('submit', { cancelable: true }));
    await flushPromises();
    document.removeEventListener('prechatguard:legacy-prechat', listener);

    expect(mockGetIdentity).not.toHaveBeenCalled();
    expect(handOvers).toEqual([{ userId: null, token: null, startChat: expect.any(Function) }]);
    expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
    expect(basePrechatRecorder.startChatCalls).toEqual([
      [
        { label: 'First Name', name: 'FirstName', value: 'Ada', required: true, maxLength: 40 },
        { label: 'Subject', name: 'Subject', value: 'Order question', required: false, maxLength: 255 },
      ],
    ]);
    expect(root(element).querySelector('[role="alert"]')).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });
});
