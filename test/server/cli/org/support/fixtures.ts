// Org responses shared by the command tests: the settings record, the certificate and agent metadata retrieves.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { certificateRetrieveZip } from './certs';
import { records, type OrgHarness } from './orgHarness';

export const DEFAULT_SETTINGS = {
  DeveloperName: 'Default',
  Certificate_Name__c: 'PrechatGuard_Signing',
  Key_Id__c: 'prechat-guard-1',
  Issuer__c: null,
  Audience__c: 'prechat-guard',
  Token_TTL_Seconds__c: 300,
  Algorithm__c: 'RS256',
  Named_Credential__c: 'PrechatGuard_Service',
  Verification_Mode__c: 'Service',
};

export function serveSettings(harness: OrgHarness, overrides: Record<string, unknown> | null = {}): void {
  harness.query(/FROM PrechatGuard_Setting__mdt/, () =>
    records(overrides === null ? [] : [{ ...DEFAULT_SETTINGS, ...overrides }]),
  );
}

type RetrieveApi = { retrieve: jest.SpyInstance; checkRetrieveStatus: jest.SpyInstance };
/** The final checkRetrieveStatus answer for a retrieve, or an error the retrieve call itself rejects with. */
type RetrieveAnswer = (types: string[]) => Promise<Record<string, unknown> | Error | undefined>;

const retrieveRoutes = new WeakMap<jest.SpyInstance, RetrieveAnswer[]>();

function requestedTypes(request: unknown): string[] {
  const raw = (request as { unpackaged?: { types?: unknown } }).unpackaged?.types;
  const types = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return types.map((type) => String((type as { name?: unknown }).name));
}

/**
 * Answers Metadata API retrieves by the types they ask for (the doctor retrieves the certificate and the agent
 * metadata separately). The answer registered last that accepts the types wins; unanswered types fail the retrieve.
 */
export function answerRetrieves(api: RetrieveApi, answer: RetrieveAnswer): void {
  let routes = retrieveRoutes.get(api.retrieve);
  if (!routes) {
    const list: RetrieveAnswer[] = [];
    routes = list;
    retrieveRoutes.set(api.retrieve, list);
    const statuses = new Map<string, Record<string, unknown>>();
    api.retrieve.mockImplementation(async (request: unknown) => {
      const types = requestedTypes(request);
      for (const route of [...list].reverse()) {
        const status = await route(types);
        if (status instanceof Error) throw status;
        if (!status) continue;
        const id = `09S5g00000R${String(statuses.size + 1).padStart(7, '0')}`;
        statuses.set(id, { id, done: true, fileProperties: [], messages: [], ...status });
        return { id, state: 'Queued', done: false };
      }
      throw new Error(`retrieve not faked for ${types.join(', ')}`);
    });
    api.checkRetrieveStatus.mockImplementation(async (id: string) => {
      const status = statuses.get(id);
      if (!status) throw new Error(`unknown retrieve ${id}`);
      return status;
    });
  }
  routes.push(answer);
}

/** Makes Certificate retrieves return `certs/<name>.crt` with the given content (or nothing for that name). */
export async function serveCertificate(
  api: RetrieveApi,
  stored: { name: string; content: string } | { missing: string },
): Promise<void> {
  const zipFile =
    'missing' in stored
      ? await certificateRetrieveZip('Some_Other_Cert', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')
      : await certificateRetrieveZip(stored.name, stored.content);
  answerRetrieves(api, async (types) =>
    types.includes('Certificate')
      ? {
          status: 'Succeeded',
          success: true,
          zipFile,
          messages:
            'missing' in stored
              ? [
                  {
                    fileName: 'package.xml',
                    problem: `Entity of type 'Certificate' named '${stored.missing}' cannot be found`,
                  },
                ]
              : [],
        }
      : undefined,
  );
}

export const ACTION_BINDING_FIXTURES = path.join(__dirname, '..', 'fixtures', 'actionBindings');

/** Metadata-format folder of each agent type in a retrieve zip. */
const AGENT_TYPE_FOLDERS: Record<string, string> = {
  Bot: 'bots',
  GenAiPlannerBundle: 'genAiPlannerBundles',
  GenAiPlugin: 'genAiPlugins',
  GenAiFunction: 'genAiFunctions',
};

/** Every file of the named fixture folders, by path inside the folder (metadata format, as a retrieve zips it). */
export function readFixtureFiles(...folders: string[]): Array<{ path: string; text: string }> {
  return folders.flatMap((folder) => {
    const root = path.join(ACTION_BINDING_FIXTURES, folder);
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return { path: path.relative(root, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') };
      });
  });
}

export type AgentTypeAnswer =
  /** the retrieve call itself is refused (a SOAP fault) */
  | { refuse: string }
  /** the retrieve ends Failed */
  | { failed: string }
  /** the retrieve succeeds with nothing but a package.xml problem, as for a type the org does not offer */
  | { problem: string };

/**
 * Answers the doctor's agent-metadata retrieves (Bot, GenAiPlannerBundle, GenAiPlugin, GenAiFunction: one retrieve
 * each, members `*`) with the files of the given fixture folders, zipped per type at the zip root (singlePackage).
 */
export function serveAgentMetadata(
  api: RetrieveApi,
  folders: readonly string[],
  overrides: Partial<Record<keyof typeof AGENT_TYPE_FOLDERS, AgentTypeAnswer>> = {},
): void {
  const files = readFixtureFiles(...folders);
  answerRetrieves(api, async (types) => {
    const type = types.length === 1 ? types[0]! : undefined;
    if (!type || !(type in AGENT_TYPE_FOLDERS)) return undefined;
    const override = overrides[type];
    if (override && 'refuse' in override) return new Error(override.refuse);
    if (override && 'failed' in override) {
      return { status: 'Failed', success: false, errorMessage: override.failed };
    }
    const zip = new JSZip();
    zip.file(
      'package.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"/>\n`,
    );
    if (!override) {
      for (const file of files.filter((candidate) => candidate.path.startsWith(`${AGENT_TYPE_FOLDERS[type]}/`))) {
        zip.file(file.path, file.text);
      }
    }
    return {
      status: 'Succeeded',
      success: true,
      zipFile: await zip.generateAsync({ type: 'base64' }),
      messages: override ? [{ fileName: 'package.xml', problem: override.problem }] : [],
    };
  });
}

/** "Type:name" of every first-install (bootstrap) piece, as the deploy's pre-check names them. */
export const ALL_BOOTSTRAP = [
  'Certificate:PrechatGuard_Signing',
  'Certificate:PrechatGuard_Caller',
  'ExternalCredential:PrechatGuard_Service',
  'NamedCredential:PrechatGuard_Service',
  'CustomMetadata:PrechatGuard_Setting.Default',
];

/**
 * Answers the deploy's read-only pre-check with an org that has the given bootstrap pieces ("Type:name"); an org
 * without the settings record also has no settings type when nothing at all is installed, as a fresh org does.
 */
export function serveInstallation(
  harness: OrgHarness,
  present: readonly string[],
  namedCredentialUrl = 'https://pg.example.com',
): void {
  const names = (type: string): Array<{ DeveloperName: string }> =>
    present
      .filter((piece) => piece.startsWith(`${type}:`))
      .map((piece) => ({ DeveloperName: piece.slice(type.length + 1).replace(/^PrechatGuard_Setting\./, '') }));
  harness.query(/FROM Certificate WHERE/, () => records(names('Certificate')));
  harness.query(/FROM ExternalCredential WHERE/, () => records(names('ExternalCredential')));
  harness.query(/FROM NamedCredential WHERE/, () =>
    records(names('NamedCredential').map((row) => ({ ...row, Endpoint: namedCredentialUrl }))),
  );
  harness.query(/FROM PrechatGuard_Setting__mdt WHERE/, () => {
    if (present.length === 0) {
      throw Object.assign(new Error("sObject type 'PrechatGuard_Setting__mdt' is not supported."), {
        errorCode: 'INVALID_TYPE',
      });
    }
    return records(names('CustomMetadata'));
  });
}
