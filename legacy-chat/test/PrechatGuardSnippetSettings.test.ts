// The legacy snippet settings file (static resource) run against a stand-in `embedded_svc`, with the event name the
// legacy pre-chat component really uses. The file owns the second half of Salesforce's KB 000380580 hand-over: fill
// in the values, then start the chat through the component's callback.
import { LEGACY_VALUES_EVENT } from 'c/prechatGuardLegacyPrechat';
import {
  installSnippetSettings,
  type ExtraPrechatFormDetail,
  type InstalledSnippetSettings,
} from './jest-utils/snippetSettings';

const USER_ID = '005Hs00000ABCdeIAF';
const TOKEN = 'header.payload.signature';

/** Dispatches the component's event; `startChat` records the details' values at the moment it is called. */
function announce(details: ExtraPrechatFormDetail[], values: { userId: string | null; token: string | null }) {
  const valuesAtStart: Array<Array<string | undefined>> = [];
  const startChat = jest.fn(() => valuesAtStart.push(details.map((detail) => detail.value)));
  document.dispatchEvent(new CustomEvent(LEGACY_VALUES_EVENT, { detail: { ...values, startChat } }));
  return { startChat, valuesAtStart };
}

describe('PrechatGuardSnippetSettings static resource', () => {
  let snippet: InstalledSnippetSettings;

  beforeEach(() => {
    snippet = installSnippetSettings();
  });

  afterEach(() => {
    snippet.uninstall();
  });

  it('declares both extra details without values, mapped to the LiveChatTranscript fields and hidden from agents', () => {
    expect(snippet.details).toEqual([
      { label: 'PrechatGuard User Id', displayToAgent: false, transcriptFields: ['PrechatGuard_User_Id__c'] },
      { label: 'PrechatGuard Token', displayToAgent: false, transcriptFields: ['PrechatGuard_Token__c'] },
    ]);
  });

  it('fills in the values first and then starts the chat, exactly once', () => {
    const { startChat, valuesAtStart } = announce(snippet.details, { userId: USER_ID, token: TOKEN });

    expect(startChat).toHaveBeenCalledTimes(1);
    expect(valuesAtStart).toEqual([[USER_ID, TOKEN]]);
  });

  it('starts a guest chat with no values at all', () => {
    const { startChat } = announce(snippet.details, { userId: null, token: null });

    expect(startChat).toHaveBeenCalledTimes(1);
    expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
  });

  it('removes the values of an earlier chat when a guest starts the next one on the same page', () => {
    announce(snippet.details, { userId: USER_ID, token: TOKEN });

    const { valuesAtStart } = announce(snippet.details, { userId: null, token: null });

    expect(valuesAtStart).toEqual([[undefined, undefined]]);
    expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
  });

  it('treats empty or non-string values as absent', () => {
    announce(snippet.details, { userId: '', token: 42 as unknown as string });

    expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
  });

  it('still fills in the values when the event carries no callback, and does not throw', () => {
    const errors = jest.fn();
    window.addEventListener('error', errors);

    document.dispatchEvent(new CustomEvent(LEGACY_VALUES_EVENT, { detail: { userId: USER_ID, token: TOKEN } }));
    window.removeEventListener('error', errors);

    expect(snippet.details.map((detail) => detail.value)).toEqual([USER_ID, TOKEN]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('ignores other events on the document', () => {
    const startChat = jest.fn();
    document.dispatchEvent(
      new CustomEvent('prechatguard:other', { detail: { userId: USER_ID, token: TOKEN, startChat } }),
    );

    expect(startChat).not.toHaveBeenCalled();
    expect(snippet.details.every((detail) => !('value' in detail))).toBe(true);
  });
});
