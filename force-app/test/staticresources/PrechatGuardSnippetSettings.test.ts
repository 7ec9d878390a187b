// The legacy snippet settings file (static resource) run against a stand-in `embedded_svc`, together with the event
// name the legacy pre-chat component really uses.
import { readFileSync } from 'fs';
import { join } from 'path';
import { EXTRA_FIELD_LABELS, LEGACY_VALUES_EVENT } from 'c/prechatGuardLegacyPrechat';

const SOURCE = readFileSync(
  join(__dirname, '..', '..', 'main', 'default', 'staticresources', 'PrechatGuardSnippetSettings.js'),
  'utf8',
);

interface Detail {
  label: string;
  value?: string;
  displayToAgent: boolean;
  transcriptFields: string[];
}

type TestWindow = Window & { embedded_svc?: { snippetSettingsFile: { extraPrechatFormDetails?: Detail[] } } };

function loadSnippetSettings(): Detail[] {
  const testWindow = window as TestWindow;
  testWindow.embedded_svc = { snippetSettingsFile: {} };
  // The platform runs the file as a classic script in the page; so does this.
  new Function('embedded_svc', SOURCE)(testWindow.embedded_svc);
  return testWindow.embedded_svc.snippetSettingsFile.extraPrechatFormDetails!;
}

describe('PrechatGuardSnippetSettings static resource', () => {
  const added: Array<(event: Event) => void> = [];
  const realAdd = document.addEventListener.bind(document);

  beforeEach(() => {
    // Track listeners so each test starts from a clean document.
    jest.spyOn(document, 'addEventListener').mockImplementation((type, listener, options) => {
      added.push(listener as (event: Event) => void);
      realAdd(type, listener, options);
    });
  });

  afterEach(() => {
    for (const listener of added.splice(0)) {
      document.removeEventListener(LEGACY_VALUES_EVENT, listener);
    }
    jest.restoreAllMocks();
    delete (window as TestWindow).embedded_svc;
  });

  it('maps both extra labels to the LiveChatTranscript fields, hidden from agents and without values', () => {
    const details = loadSnippetSettings();

    expect(details).toEqual([
      { label: EXTRA_FIELD_LABELS.userId, displayToAgent: false, transcriptFields: ['PrechatGuard_User_Id__c'] },
      { label: EXTRA_FIELD_LABELS.token, displayToAgent: false, transcriptFields: ['PrechatGuard_Token__c'] },
    ]);
  });

  it('fills in the values the pre-chat component announces before it starts the chat', () => {
    const details = loadSnippetSettings();

    document.dispatchEvent(
      new CustomEvent(LEGACY_VALUES_EVENT, { detail: { userId: '005Hs00000ABCdeIAF', token: 'h.p.s' } }),
    );

    expect(details.map((detail) => detail.value)).toEqual(['005Hs00000ABCdeIAF', 'h.p.s']);
  });

  it('removes the values again for a guest', () => {
    const details = loadSnippetSettings();
    document.dispatchEvent(
      new CustomEvent(LEGACY_VALUES_EVENT, { detail: { userId: '005Hs00000ABCdeIAF', token: 'h.p.s' } }),
    );

    document.dispatchEvent(new CustomEvent(LEGACY_VALUES_EVENT, { detail: { userId: null, token: null } }));

    expect(details.every((detail) => !('value' in detail))).toBe(true);
  });
});
