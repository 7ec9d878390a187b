// Runs the legacy snippet settings file (the static resource) as the container page does: a classic script that finds
// `embedded_svc` in scope and listens on `document`. The listener it adds is remembered so that uninstall() leaves the
// next test a clean document.
import { readFileSync } from 'fs';
import { join } from 'path';

export const SNIPPET_SETTINGS_FILE = join(
  __dirname,
  '..',
  '..',
  'main',
  'default',
  'staticresources',
  'PrechatGuardSnippetSettings.js',
);

/** One entry of embedded_svc.snippetSettingsFile.extraPrechatFormDetails. */
export interface ExtraPrechatFormDetail {
  label: string;
  value?: string;
  displayToAgent: boolean;
  transcriptFields: string[];
}

export interface InstalledSnippetSettings {
  /** The details as the file declared them; the platform reads their values when the chat starts. */
  details: ExtraPrechatFormDetail[];
  uninstall(): void;
}

type SnapinsWindow = Window & { _snapinsSnippetSettingsFile?: unknown };

export function installSnippetSettings(): InstalledSnippetSettings {
  const source = readFileSync(SNIPPET_SETTINGS_FILE, 'utf8');
  const embeddedSvc: { snippetSettingsFile: { extraPrechatFormDetails?: ExtraPrechatFormDetail[] } } = {
    snippetSettingsFile: {},
  };
  const added: Array<[string, EventListenerOrEventListenerObject]> = [];
  // The real document, except that addEventListener also remembers what it added.
  const trackedDocument = new Proxy(document, {
    get(target, property) {
      if (property === 'addEventListener') {
        return (type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions) => {
          added.push([type, listener]);
          target.addEventListener(type, listener, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  new Function('embedded_svc', 'document', source)(embeddedSvc, trackedDocument);
  const details = embeddedSvc.snippetSettingsFile.extraPrechatFormDetails;
  if (!details) throw new Error('the snippet settings file declared no extraPrechatFormDetails');
  return {
    details,
    uninstall() {
      for (const [type, listener] of added.splice(0)) document.removeEventListener(type, listener);
      delete (window as SnapinsWindow)._snapinsSnippetSettingsFile;
    },
  };
}
