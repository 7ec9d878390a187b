// The package's three Salesforce DX folders, and which of them an upgrade or a first install deploys.
//
//   force-app    every deploy: Apex, the Enhanced Chat LWC, the MessagingSession fields, the settings TYPE, the
//                permission sets and the flow.
//   legacy-chat  legacy Chat only (retired 2026-02-14): deployed only with --with-legacy-chat, because its
//                LiveChatTranscript fields fail to deploy in an org without legacy Chat.
//   bootstrap    the first install only: the two certificates (empty .crt, so Salesforce generates the key pairs), the
//                External Credential, the Named Credential and the settings RECORD. Deploying them again breaks a
//                working installation: updating a Certificate makes a new key pair (every kid the service trusts stops
//                verifying), the Named Credential goes back to the placeholder URL and the settings record back to the
//                package defaults.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, OrgCommandError, usageError } from './errors';

export const PACKAGE_DIRS = {
  app: 'force-app',
  legacyChat: 'legacy-chat',
  bootstrap: 'bootstrap',
} as const;

/** The environment variable the `replacements` entry of sfdx-project.json fills the Named Credential URL from. */
export const SERVICE_URL_ENV = 'PRECHAT_GUARD_SERVICE_URL';

/** The URL bootstrap ships in the Named Credential; the first install replaces it, the doctor fails on it. */
export const PLACEHOLDER_SERVICE_URL = 'https://prechat-guard.example.com';
export const PLACEHOLDER_HOST = new URL(PLACEHOLDER_SERVICE_URL).hostname;

/** Project-relative (posix) path of the file the replacement applies to. */
export const NAMED_CREDENTIAL_SOURCE =
  'bootstrap/main/default/namedCredentials/PrechatGuard_Service.namedCredential-meta.xml';
/** Where that Named Credential sits in the Metadata API zip SDR builds. */
export const NAMED_CREDENTIAL_ZIP_ENTRY = 'namedCredentials/PrechatGuard_Service.namedCredential';

/** Metadata types that only bootstrap may contain: an upgrade that carried one would reset a working installation. */
export const BOOTSTRAP_TYPES: ReadonlySet<string> = new Set([
  'Certificate',
  'ExternalCredential',
  'NamedCredential',
  'CustomMetadata',
]);
/** Their folders in a Metadata API zip. */
export const BOOTSTRAP_ZIP_FOLDERS: ReadonlySet<string> = new Set([
  'certs',
  'externalCredentials',
  'namedCredentials',
  'customMetadata',
]);

export interface BootstrapPiece {
  type: 'Certificate' | 'ExternalCredential' | 'NamedCredential' | 'CustomMetadata';
  /** the Metadata API full name (`sf project deploy start --metadata <type>:<name>`) */
  name: string;
}

/** What bootstrap holds; a test keeps this list equal to the folder's component set. */
export const BOOTSTRAP_PIECES: readonly BootstrapPiece[] = [
  { type: 'Certificate', name: 'PrechatGuard_Signing' },
  { type: 'Certificate', name: 'PrechatGuard_Caller' },
  { type: 'ExternalCredential', name: 'PrechatGuard_Service' },
  { type: 'NamedCredential', name: 'PrechatGuard_Service' },
  { type: 'CustomMetadata', name: 'PrechatGuard_Setting.Default' },
];

export const describePiece = (piece: BootstrapPiece): string => `${piece.type} ${piece.name}`;

export interface DeployPlan {
  firstInstall: boolean;
  withLegacyChat: boolean;
  /** the Named Credential URL, first install only */
  serviceUrl?: string;
  /** package folders to deploy, project-relative, in deploy order */
  directories: string[];
}

export function planDeploy(options: {
  firstInstall: boolean;
  withLegacyChat: boolean;
  serviceUrl?: string;
}): DeployPlan {
  const directories: string[] = [
    ...(options.firstInstall ? [PACKAGE_DIRS.bootstrap] : []),
    PACKAGE_DIRS.app,
    ...(options.withLegacyChat ? [PACKAGE_DIRS.legacyChat] : []),
  ];
  return { ...options, directories };
}

const serviceUrlInvalid = (message: string): OrgCommandError =>
  new OrgCommandError(
    'service_url_invalid',
    message,
    "pass the verification service's public https address, e.g. --service-url https://verifier.example.org",
    EXIT.usage,
  );

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Checks and normalises --service-url for the Named Credential: https only (Salesforce calls it with the bot's
 * credential), a host Salesforce can reach, not the package placeholder, no query or fragment (the actions append
 * /v1/verify), and nothing that would need escaping in the XML the replacement writes it into.
 */
export function validateServiceUrl(value: string | undefined): string {
  if (value === undefined) {
    throw new OrgCommandError(
      'service_url_missing',
      '--first-install needs --service-url: the https address of your verification service, written into the Named Credential PrechatGuard_Service.',
      `e.g. npm run org:deploy -- --target-org <alias> --first-install --service-url https://verifier.example.org`,
      EXIT.usage,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw serviceUrlInvalid(`--service-url "${value}" is not a URL.`);
  }
  if (url.protocol !== 'https:') {
    throw serviceUrlInvalid(`--service-url must use https, not ${url.protocol.replace(/:$/, '')} ("${value}").`);
  }
  if (url.hostname === PLACEHOLDER_HOST) {
    throw serviceUrlInvalid(`--service-url "${value}" is the package placeholder, not your service.`);
  }
  if (LOOPBACK.test(url.hostname)) {
    throw serviceUrlInvalid(`--service-url "${value}" is this machine; Salesforce cannot call it.`);
  }
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw serviceUrlInvalid(
      `--service-url "${value}" carries credentials, a query or a fragment; give only the base address.`,
    );
  }
  const normalised = url.toString().replace(/\/+$/, '');
  if (/[&<>"']/.test(normalised)) {
    throw serviceUrlInvalid(`--service-url "${value}" contains a character that would need escaping in XML.`);
  }
  return normalised;
}

export function firstInstallCommand(alias: string, withLegacyChat = false): string {
  return (
    `npm run org:deploy -- --target-org ${alias} --first-install --service-url https://<your service>` +
    (withLegacyChat ? ' --with-legacy-chat' : '')
  );
}

export function upgradeCommand(alias: string, withLegacyChat = false): string {
  return `npm run org:deploy -- --target-org ${alias}${withLegacyChat ? ' --with-legacy-chat' : ''}`;
}

/** Deploys exactly one bootstrap piece with the plain CLI, for an org that lacks just that piece. */
export function singlePieceCommand(piece: BootstrapPiece, alias: string): string {
  const env = piece.type === 'NamedCredential' ? `${SERVICE_URL_ENV}=https://<your service> ` : '';
  return `${env}sf project deploy start --metadata ${piece.type}:${piece.name} --target-org ${alias}`;
}

interface ProjectJson {
  packageDirectories?: Array<{ path?: unknown }>;
}

/**
 * The absolute folders of a plan, checked against sfdx-project.json in `root`: the replacement and the package
 * directories are defined there, so the command runs from the project root (npm runs it there).
 */
export function resolvePlanDirectories(root: string, plan: DeployPlan): string[] {
  const projectFile = path.join(root, 'sfdx-project.json');
  let project: ProjectJson;
  try {
    project = JSON.parse(readFileSync(projectFile, 'utf8')) as ProjectJson;
  } catch (error) {
    throw usageError(
      `${projectFile} cannot be read (${(error as Error).message}).`,
      'run the command from the project root (npm run org:deploy does).',
    );
  }
  const listed = new Set(
    (project.packageDirectories ?? [])
      .map((entry) => (typeof entry.path === 'string' ? path.resolve(root, entry.path) : undefined))
      .filter((entry): entry is string => entry !== undefined),
  );
  return plan.directories.map((directory) => {
    const absolute = path.resolve(root, directory);
    if (!listed.has(absolute)) {
      throw usageError(
        `sfdx-project.json does not list the package directory "${directory}".`,
        'run from the prechat-guard project root, or restore its packageDirectories.',
      );
    }
    if (!existsSync(absolute)) {
      throw usageError(`the package directory ${absolute} does not exist.`, 'run from the prechat-guard project root.');
    }
    return absolute;
  });
}
