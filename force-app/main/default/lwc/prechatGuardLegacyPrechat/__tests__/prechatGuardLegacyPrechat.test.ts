import { createElement } from 'lwc';
import PrechatGuardLegacyPrechat from 'c/prechatGuardLegacyPrechat';
import getIdentity from '@salesforce/apex/PrechatGuardIdentityController.getIdentity';
// The same module instance Jest maps 'lightningsnapin/basePrechat' to (jest.config.js), imported by path for its recorder.
import { basePrechatRecorder } from '../../../../../test/jest-mocks/lightningsnapin/basePrechat';
import {
  GUEST_RESPONSE,
  USER_ID,
  apexError,
  flushPromises,
  signedInResponse,
} from '../../../../../test/jest-utils/identityFixtures';

jest.mock('@salesforce/apex/PrechatGuardIdentityController.getIdentity', () => ({ default: jest.fn() }), {
  virtual: true,
});

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

describe('c-prechat-guard-legacy-prechat', () => {
  beforeEach(() => {
    basePrechatRecorder.reset();
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  describe('rendering and accessibility', () => {
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
      for (const label of labels) {
        const target = byId(element, label.getAttribute('for')!);
        expect(target).not.toBeNull();
        expect(target!.tagName).toBe('INPUT');
      }
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
    });

    it('never renders the token or the user id', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockResolvedValue(response);
      const element = mount();
      await fillAndSubmit(element);

      expect(root(element).innerHTML).not.toContain(response.token);
      expect(root(element).innerHTML).not.toContain(USER_ID);
    });
  });

  describe('starting the chat', () => {
    it('starts with the configured fields plus the user id and token exactly as Apex returned them', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockResolvedValue(response);
      const documentEvents: unknown[] = [];
      const listener = (event: Event) => documentEvents.push((event as CustomEvent).detail);
      document.addEventListener('prechatguard:legacy-prechat', listener);
      const element = mount();
      await fillAndSubmit(element);
      document.removeEventListener('prechatguard:legacy-prechat', listener);

      expect(basePrechatRecorder.validateFieldsCalls).toEqual([CONFIGURED_VALUES]);
      expect(basePrechatRecorder.startChatCalls).toEqual([
        [
          ...CONFIGURED_VALUES,
          { label: 'PrechatGuard User Id', name: 'PrechatGuard_User_Id__c', value: USER_ID },
          { label: 'PrechatGuard Token', name: 'PrechatGuard_Token__c', value: response.token },
        ],
      ]);
      expect(documentEvents).toEqual([{ userId: USER_ID, token: response.token }]);
      expect(alertRegion(element)).toBeNull();
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
      const started = basePrechatRecorder.startChatCalls[0]!;
      expect(started.find((field: { label: string }) => field.label === 'PrechatGuard Token')!.value).toBe(fresh.token);
    });

    it('starts a guest chat with the configured fields only', async () => {
      mockGetIdentity.mockResolvedValue(GUEST_RESPONSE);
      const element = mount();
      await flushPromises();
      expect(statusRegion(element).textContent).toContain("You're not signed in. You can still chat");

      await fillAndSubmit(element);

      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
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
      guestButton.click();
      await flushPromises();

      expect(basePrechatRecorder.startChatCalls).toEqual([CONFIGURED_VALUES]);
    });

    it('starts with the identity once Apex answers on a later attempt', async () => {
      const response = signedInResponse(Date.now());
      mockGetIdentity.mockRejectedValueOnce(apexError('Temporary')).mockResolvedValueOnce(response);
      const element = mount();
      await flushPromises();
      expect(alertRegion(element)).not.toBeNull();

      await fillAndSubmit(element);

      expect(alertRegion(element)).toBeNull();
      expect(basePrechatRecorder.startChatCalls[0]!.slice(-2)).toEqual([
        { label: 'PrechatGuard User Id', name: 'PrechatGuard_User_Id__c', value: USER_ID },
        { label: 'PrechatGuard Token', name: 'PrechatGuard_Token__c', value: response.token },
      ]);
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
      root(element)
        .querySelector('form')!
        .dispatchEvent(new CustomEvent('submit', { cancelable: true }));
      await flushPromises();
      expect(mockGetIdentity).toHaveBeenCalledTimes(2);
      expect(basePrechatRecorder.startChatCalls).toEqual([]);
    });
  });
});
