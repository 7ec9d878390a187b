// Builds the Metadata API zip of a deploy plan with SDR, checks the bytes, and hands exactly those bytes to the deploy.
//
// SDR applies the `replacements` of sfdx-project.json when it converts source to a zip; the Named Credential URL of a
// first install comes from there. Converting here (instead of inside ComponentSet.deploy) lets the command read the
// converted Named Credential back and refuse to send a package that still carries the placeholder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import {
  ComponentSet,
  MetadataApiDeploy,
  MetadataConverter,
  type MetadataApiDeployOptions,
} from '@salesforce/source-deploy-retrieve';
import { EXIT, OrgCommandError, describeError } from './errors';
import {
  BOOTSTRAP_TYPES,
  BOOTSTRAP_ZIP_FOLDERS,
  NAMED_CREDENTIAL_SOURCE,
  NAMED_CREDENTIAL_ZIP_ENTRY,
  PLACEHOLDER_SERVICE_URL,
  SERVICE_URL_ENV,
  type DeployPlan,
} from './layout';
import { readZipEntries } from './zip';

/** The source components of the given package folders; `root` is the project (sfdx-project.json) for replacements. */
export function buildComponentSet(root: string, directories: string[]): ComponentSet {
  let components: ComponentSet;
  try {
    components = ComponentSet.fromSource({ fsPaths: directories });
  } catch (error) {
    throw new OrgCommandError(
      'source_invalid',
      `${directories.map((directory) => path.relative(root, directory) || '.').join(', ')} cannot be read as ` +
        `Salesforce DX source: ${describeError(error)}`,
      'Fix or remove the file named above, then run again.',
    );
  }
  // fromSource leaves the project unset, and SDR would then look for sfdx-project.json (and its replacements) in
  // process.cwd(); say where the project is.
  components.projectDirectory = root;
  if (components.getSourceComponents().toArray().length === 0) {
    throw new OrgCommandError(
      'no_components',
      `No deployable metadata found in ${directories.join(', ')}.`,
      'Check the package directories and .forceignore.',
      EXIT.usage,
    );
  }
  return components;
}

/** "Type:fullName" of every component an upgrade must never carry (see BOOTSTRAP_TYPES). */
export function bootstrapComponentsIn(components: ComponentSet): string[] {
  return components
    .getSourceComponents()
    .toArray()
    .filter((component) => BOOTSTRAP_TYPES.has(component.type.name))
    .map((component) => `${component.type.name}:${component.fullName}`)
    .sort();
}

/** Converts to the Metadata API zip SDR would deploy, with the Named Credential URL taken from `serviceUrl`. */
export async function buildDeployZip(components: ComponentSet, serviceUrl?: string): Promise<Buffer> {
  // SDR reads `replaceWithEnv` from process.env while converting (not from anything injectable), so the value goes
  // there for this conversion only, and whatever the shell had is put back.
  const previous = process.env[SERVICE_URL_ENV];
  if (serviceUrl !== undefined) process.env[SERVICE_URL_ENV] = serviceUrl;
  try {
    const converted = await new MetadataConverter().convert(components, 'metadata', { type: 'zip' });
    if (!converted.zipBuffer) throw new Error('SDR returned no zip');
    return converted.zipBuffer;
  } catch (error) {
    throw new OrgCommandError(
      'source_invalid',
      `The package could not be converted for the Metadata API: ${describeError(error)}`,
      'Fix the file named above (or the `replacements` in sfdx-project.json), then run again.',
    );
  } finally {
    if (previous === undefined) delete process.env[SERVICE_URL_ENV];
    else process.env[SERVICE_URL_ENV] = previous;
  }
}

/**
 * Checks the zip against the plan before anything is sent: an upgrade carries no bootstrap folder at all; a first
 * install carries the Named Credential with the given URL and without the placeholder.
 */
export function checkDeployZip(zip: Buffer, plan: DeployPlan): void {
  let entries: Map<string, Buffer>;
  try {
    entries = readZipEntries(zip);
  } catch (error) {
    throw new OrgCommandError('source_invalid', `The converted package is not readable: ${describeError(error)}`);
  }
  if (!plan.firstInstall) {
    const bootstrap = [...entries.keys()].filter((name) => BOOTSTRAP_ZIP_FOLDERS.has(name.split('/')[0] ?? ''));
    if (bootstrap.length > 0) {
      throw new OrgCommandError(
        'bootstrap_in_upgrade',
        `The upgrade package contains first-install metadata (${bootstrap.join(', ')}); deploying it would replace ` +
          "the org's certificates, credentials or settings. Nothing was deployed.",
        'Move those files back into bootstrap/ (they belong to the first install only).',
      );
    }
    return;
  }
  const namedCredential = entries.get(NAMED_CREDENTIAL_ZIP_ENTRY)?.toString('utf8');
  const applied =
    namedCredential !== undefined &&
    plan.serviceUrl !== undefined &&
    namedCredential.includes(`>${plan.serviceUrl}<`) &&
    !namedCredential.includes(PLACEHOLDER_SERVICE_URL);
  if (!applied) {
    throw new OrgCommandError(
      'replacement_not_applied',
      namedCredential === undefined
        ? `The first-install package has no ${NAMED_CREDENTIAL_ZIP_ENTRY}. Nothing was deployed.`
        : `The converted Named Credential does not carry --service-url ${plan.serviceUrl ?? ''} (SDR did not apply ` +
            'the sfdx-project.json replacement). Nothing was deployed.',
      `Check sfdx-project.json: a "replacements" entry with filename ${NAMED_CREDENTIAL_SOURCE}, stringToReplace ` +
        `${PLACEHOLDER_SERVICE_URL} (present in that file) and replaceWithEnv ${SERVICE_URL_ENV}.`,
    );
  }
}

/** Starts a Metadata API deploy of this exact zip; the caller polls the returned operation. */
export async function startZipDeploy(
  connection: Connection,
  zip: Buffer,
  apiOptions: MetadataApiDeployOptions['apiOptions'],
): Promise<MetadataApiDeploy> {
  // SDR takes a prebuilt package as a file; it reads it back during start(), after which the copy can go.
  const folder = await mkdtemp(path.join(tmpdir(), 'prechat-guard-deploy-'));
  try {
    const zipPath = path.join(folder, 'package.zip');
    await writeFile(zipPath, zip);
    const operation = new MetadataApiDeploy({ usernameOrConnection: connection, zipPath, apiOptions });
    await operation.start();
    return operation;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
