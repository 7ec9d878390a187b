import { createElement } from 'lwc';
import PrechatGuardLegacyPrechat from 'c/prechatGuardLegacyPrechat';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
// The same module instance Jest maps 'lightningsnapin/basePrechat' to (jest.config.js), imported by path for its recorder.
import { basePrechatRecorder } from '../../../../../../force-app/test/jest-mocks/lightningsnapin/basePrechat';
import {
  GUEST_RESPONSE,
  USER_ID,
  apexError,
  flushPromises,
  signedInResponse,
} from '../../../../../../force-app/test/jest-utils/identityFixtures';
import { installSnippetSettings, type InstalledSnippetSettings } from '../../../../../test/jest-utils/snippetSettings';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});
// A member's page. Guest pages: prechatGuardLegacyPrechat.guest.test.ts.
jest.mock('@salesforce/user/isGuest', () => ({ default: false }), { virtual: true });

const mockGetIdentity = getIdentity as unknown as jest.Mock;
const T0 = Date.parse('2026-11-23T16:00:00.000Z');

/** As Setup hands them to the component (Embedded Service deployment, pre-chat form). */
const PRECHAT_FIELDS = [
  { label: 'First Name', name: 'FirstName', value: '', required: true, maxLength: 40 },
  { label: 'Email', name: 'Email', value: '', required: true, maxLength: 80, type: 'inputEmail' },
  { label: 'Subject', name: 'Subject', value: 'Order question', required: false, maxLength: 255 },
];

function mount() {
  const element = createElement('c-prechat-guard-legacy-prechat', { is: PrechatGuardLegacyPrechat });
  Object.assign(element, { prechatFields: PRECHAT_FIELDS.map((field) => ({ ...field })) });
  document.body.appendChild(element);
  return element;
}

const root = (element: HTMLElement) => element.shadowRoot!;
/** Synthetic shadow forbids ShadowRoot.getElementById; an attribute selector finds the (scoped) id instead. */
const byId = (element: HTMLElement, id: string) => root(element).querySelector(`[id="${id}"]`) as HTMLElement | null;
const input = (element: HTMLElement, name: string) =>
  root(element).querySelector(`input[data-name="${name}"]`) as HTMLInputElement;
const alertRegion = (element: HTMLElement) => root(element).querySelector('[role="alert"]') as HTMLElement | null;
const statusRegion = (element: HTMLElement) => root(element).querySelector('[role="status"]') as HTMLElement;
/** The rendered markup, attributes included: read (never written) to prove a value appears nowhere in it. */
// eslint-disable-next-line @lwc/lwc/no-inner-html -- only reads the markup; the rule guards against writing HTML
const markupOf = (node: Element | ShadowRoot) => node.innerHTML;

function type(element: HTMLElement, name: string, value: string) {
  const field = input(element, name);
  field.value = value;
  field.dispatchEvent(new CustomEvent('input'));
}

async function fillAndSubmit(element: HTMLElement) {
  type(element, 'FirstName', 'Ada');
  type(element, 'Email', 'ada@example.com');
  await flushPromises();
  root(element)
    .querySelector('form')!
    .dispatchEvent(new CustomEvent('submit', { cancelable: true }));
  await flushPromises();
}

const CONFIGURED_VALUES = [
  { label: 'First Name', name: 'FirstName', value: 'Ada', required: true, maxLength: 40 },
  { label: 'Email', name: 'Email', value: 'ada@example.com', required: true, maxLength: 80 },
  { label: 'Subject', name: 'Subject', value: 'Order question', required: false, maxLength: 255 },
];

/** Records every hand-over event the component dispatches (after the snippet settings listener, if installed). */
function recordHandOvers() {
  const details: Array<{ userId: string | null; token: string | null; startChat: unknown }> = [];
  const listener = (event: Event) => details.push((event as CustomEvent).detail);
  document.addEventListener('prechatguard:legacy-prechat', listener);
  return { details, stop: () => document.removeEventListener('prechatguard:legacy-prechat', listener) };
}

describe('c-prechat-guard-legacy-prechat', () => {
  // The container page's half of the hand-over: the real static resource, as Experience Builder loads it.
  let snippet: InstalledSnippetSettings;

  beforeEach(() => {
    basePrechatRecorder.reset();
    snippet = installSnippetSettings();
  });

  afterEach(() => {
    snippet.uninstall();
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  describe('rendering and accessibility', () => {
    it('announces the loading state while Apex has not answered', async () => {
      mockGetIdentity.mockImplementation(() => new Promise(() => undefined));
      const element = mount();
      await flushPromises();

      expect(statusRegion(element).textContent!.trim()).toBe('Checking your sign-in…');
      await expect(element).toBeAccessible();
    });

    it('renders every configured field with a label tied to its input', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      const element = mount();
      await flushPromises();

      const labels = Array.from(root(element).querySelectorAll('label'));
      expect(labels.map((label) => label.textContent!.replace('*', '').trim())).toEqual([
        'First Name',
        'Email',
        'Subject',
      ]);
      // Every input named by its label (axe's `label` rule), and nothing else on the form that fails the checks.
      await expect(element).toBeAccessible();
      expect(input(element, 'FirstName').required).toBe(true);
      expect(input(element, 'FirstName').maxLength).toBe(40);
      expect(input(element, 'FirstName').getAttribute('autocomplete')).toBe('given-name');
      expect(input(element, 'Email').type).toBe('email');
      expect(input(element, 'Subject').required).toBe(false);
      expect(input(element, 'Subject').value).toBe('Order question');
    });

    it('announces the signed-in state in a polite live region and offers a labelled submit button', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      const element = mount();
      expect(statusRegion(element).textContent!.trim()).toBe('Checking your sign-in…');
      await flushPromises();

      const status = statusRegion(element);
      expect(status.getAttribute('aria-live')).toBe('polite');
      expect(status.textContent!.trim()).toBe("You're signed in, Ada. The chat will know who you are.");
      const submit = root(element).querySelector('button[type="submit"]') as HTMLButtonElement;
      expect(submit.textContent!.trim()).toBe('Start chat');
      expect(submit.disabled).toBe(false);
      await expect(element).toBeAccessible();
    });

    it('never renders the token or the user id', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockResolvedValue(response);
      const element = mount();
      await fillAndSubmit(element);

      expect(markupOf(root(element))).not.toContain(response.token);
      expect(markupOf(root(element))).not.toContain(USER_ID);
    });
  });

  describe('starting the chat (snippet settings file installed)', () => {
    it('hands the user id and token to the snippet settings file, which starts the chat with the configured fields', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockResolvedValue(response);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const handOvers = recordHandOvers();
      const element = mount();
      await fillAndSubmit(element);
      handOvers.stop();

      expect(basePrechatRecorder.validateFieldsCalls).toEqual([CONFIGURED_VALUES]);
      // Only the form's fields: the identity travels in extraPrechatFormDetails, filled in by the listener.
      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
      expect(handOvers.details).toEqual([{ userId: USER_ID, token: response.token, startChat: expect.any(Function) }]);
      expect(snippet.details.map((detail) => [detail.label, detail.value])).toEqual([
        ['PrechatGuard User Id', USER_ID],
        ['PrechatGuard Token', response.token],
      ]);
      expect(warn).not.toHaveBeenCalled();
      expect(alertRegion(element)).toBeNull();
    });

    it('starts only one chat however often the callback is called', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      const handOvers = recordHandOvers();
      const element = mount();
      await fillAndSubmit(element);
      handOvers.stop();

      const { startChat } = handOvers.details[0]! as { startChat: () => void };
      startChat();
      startChat();

      expect(basePrechatRecorder.startChatCalls).toHaveLength(1);
    });

    it('refreshes a token that is about to expire before starting', async () => {
      jest.useFakeTimers({ now: T0 });
      const first = signedInResponse(T0);
      const fresh = signedInResponse(T0 + 250_000);
      mockGetIdentity.mockResolvedValueOnce(first).mockResolvedValueOnce(fresh);
      const element = mount();
      await flushPromises();

      jest.setSystemTime(T0 + 250_000);
      await fillAndSubmit(element);

      expect(mockGetIdentity).toHaveBeenCalledTimes(2);
      expect(snippet.details[1]!.value).toBe(fresh.token);
      expect(basePrechatRecorder.startChatCalls).toHaveLength(1);
    });

    it('starts without identity values when Apex says the visitor is not signed in', async () => {
      mockGetIdentity.mockResolvedValue(GUEST_RESPONSE);
      const handOvers = recordHandOvers();
      const element = mount();
      await flushPromises();
      expect(statusRegion(element).textContent).toContain("You're not signed in. You can still chat");
      await expect(element).toBeAccessible();

      await fillAndSubmit(element);
      handOvers.stop();

      expect(handOvers.details).toEqual([{ userId: null, token: null, startChat: expect.any(Function) }]);
      expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
    });
  });

  describe('starting the chat (snippet settings file missing)', () => {
    beforeEach(() => {
      snippet.uninstall();
    });

    it('starts the chat itself without identity values and warns, naming the static resource', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockResolvedValue(response);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const element = mount();
      await fillAndSubmit(element);

      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
      expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain('PrechatGuardSnippetSettings');
      expect(JSON.stringify(warn.mock.calls)).not.toContain(response.token);
      expect(alertRegion(element)).toBeNull();
    });

    it('does not start a second chat when a listener calls the callback only later', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const handOvers = recordHandOvers(); // keeps the detail but does not call startChat during dispatch
      const element = mount();
      await fillAndSubmit(element);
      handOvers.stop();
      expect(basePrechatRecorder.startChatCalls).toHaveLength(1);

      (handOvers.details[0]!.startChat as () => void)();

      expect(basePrechatRecorder.startChatCalls).toHaveLength(1);
    });
  });

  describe('validation', () => {
    it('does not start when validateFields fails, and says so in an alert', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      basePrechatRecorder.validationResult = { valid: false };
      const element = mount();
      await fillAndSubmit(element);

      expect(basePrechatRecorder.validateFieldsCalls).toHaveLength(1);
      expect(basePrechatRecorder.startChatCalls).toEqual([]);
      expect(alertRegion(element)!.textContent).toContain("Some of your details weren't accepted");
      await expect(element).toBeAccessible();
    });

    it('marks empty required fields, links their error text and moves focus to the first one', async () => {
      mockGetIdentity.mockResolvedValue(signedInResponse(Date.now()));
      const element = mount();
      await flushPromises();
      type(element, 'Email', 'ada@example.com');
      root(element)
        .querySelector('form')!
        .dispatchEvent(new CustomEvent('submit', { cancelable: true }));
      await flushPromises();

      const firstName = input(element, 'FirstName');
      expect(firstName.getAttribute('aria-invalid')).toBe('true');
      const help = byId(element, firstName.getAttribute('aria-describedby')!);
      expect(help!.textContent).toBe('Enter your first name.');
      expect(input(element, 'Email').getAttribute('aria-invalid')).toBe('false');
      expect(input(element, 'Email').hasAttribute('aria-describedby')).toBe(false);
      expect(root(element).activeElement).toBe(firstName);
      expect(alertRegion(element)!.textContent).toContain('Some required fields are empty');
      expect(basePrechatRecorder.validateFieldsCalls).toEqual([]);
      expect(basePrechatRecorder.startChatCalls).toEqual([]);
      await expect(element).toBeAccessible();

      type(element, 'FirstName', 'Ada');
      await flushPromises();
      expect(firstName.getAttribute('aria-invalid')).toBe('false');
    });
  });

  describe('Apex errors', () => {
    it('shows the error, does not start, and lets the visitor chat without signing in', async () => {
      mockGetIdentity.mockRejectedValue(apexError('Insufficient access to PrechatGuardIdentityController'));
      const element = mount();
      await flushPromises();
      await fillAndSubmit(element);

      expect(basePrechatRecorder.startChatCalls).toEqual([]);
      const alert = alertRegion(element)!;
      expect(alert.textContent).toContain("We couldn't confirm that you're signed in");
      expect(alert.textContent).toContain('identity_apex_error');
      expect(alert.textContent).not.toContain('Insufficient access');

      const guestButton = Array.from(root(element).querySelectorAll('button')).find(
        (button) => button.textContent!.trim() === 'Chat without signing in',
      )!;
      expect(guestButton.getAttribute('type')).toBe('button');
      await expect(element).toBeAccessible();
      const handOvers = recordHandOvers();
      guestButton.click();
      await flushPromises();
      handOvers.stop();

      expect(handOvers.details).toEqual([{ userId: null, token: null, startChat: expect.any(Function) }]);
      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
      expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
    });

    it('starts with the identity once Apex answers on a later attempt', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockRejectedValueOnce(apexError('Temporary')).mockResolvedValueOnce(response);
      const element = mount();
      await flushPromises();
      expect(alertRegion(element)).not.toBeNull();

      await fillAndSubmit(element);

      expect(alertRegion(element)).toBeNull();
      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
      expect(snippet.details.map((detail) => detail.value)).toEqual([USER_ID, response.token]);
    });

    it('ignores a second submit while the first is still waiting for Apex', async () => {
      mockGetIdentity
        .mockRejectedValueOnce(apexError('Temporary'))
        .mockImplementation(() => new Promise(() => undefined));
      const element = mount();
      await flushPromises();
      await fillAndSubmit(element);
      const submit = root(element).querySelector('button[type="submit"]') as HTMLButtonElement;

      expect(submit.disabled).toBe(true);
      expect(submit.textContent!.trim()).toBe('Starting chat…');
      await expect(element).toBeAccessible();
      root(element)
        .querySelector('form')!
        .dispatchEvent(new CustomEvent('submit', { cancelable: true }));
      await flushPromises();
      expect(mockGetIdentity).toHaveBeenCalledTimes(2);
      expect(basePrechatRecorder.startChatCalls).toEqual([]);
    });
  });
});
