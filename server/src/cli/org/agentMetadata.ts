// Retrieves the org's agent and bot metadata (all members: the agent names are the admin's) through the Metadata API
// with SDR over the CLI login, the same path as the certificate retrieve. Read-only; files stay in a temporary folder
// that is removed before returning.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import { classifyMetadataPath, type MetadataFile, type TypeRead } from './actionBindings';
import { retrieveInto, retrieveMessages, type RetrieveOptions } from './certificate';
import { describeError } from './errors';

/**
 * In metadata format a retrieved Bot file carries its versions inline (`<botVersions>`; SDR's own retrieve filter
 * reads `Bot.botVersions` from it), so every version of every bot and agent is checked; the doctor then asks the org
 * which versions are active.
 *
 * Bot (Einstein Bots, and the Bot record behind every agent: context variables, versions), GenAiPlannerBundle
 * (Agentforce agents, API 64.0+), and the global topics and actions a planner can link to.
 */
export const AGENT_METADATA_TYPES = ['Bot', 'GenAiPlannerBundle', 'GenAiPlugin', 'GenAiFunction'] as const;

/**
 * Metadata API answers for a type the org does not offer (feature off, older API version). The exact wording is not
 * documented; these are the usual ones (UNVERIFIED against an org without Agentforce).
 */
const TYPE_UNAVAILABLE = /\bunknown\b|not available|not supported|INVALID_TYPE|not enabled|no such type/i;

export interface AgentMetadata {
  files: MetadataFile[];
  reads: TypeRead[];
}

async function collect(folder: string): Promise<MetadataFile[]> {
  let entries;
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  const files: MetadataFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, full).split(path.sep).join('/');
    if (classifyMetadataPath(relative)) files.push({ path: relative, text: await readFile(full, 'utf8') });
  }
  return files;
}

async function retrieveType(
  connection: Connection,
  type: string,
  output: string,
  options: RetrieveOptions,
): Promise<{ files: MetadataFile[]; read: TypeRead }> {
  const zipName = type.toLowerCase();
  try {
    const result = await retrieveInto(connection, [{ fullName: '*', type }], output, zipName, options);
    const response = result.response as { status?: string; success?: boolean; errorMessage?: string };
    const problems = retrieveMessages(result.response);
    if (response.status !== undefined && response.status !== 'Succeeded') {
      const reason = response.errorMessage ?? (problems || `retrieve ${response.status}`);
      return { files: [], read: { type, state: TYPE_UNAVAILABLE.test(reason) ? 'unavailable' : 'failed', reason } };
    }
    const files = await collect(path.join(output, zipName));
    if (files.length === 0 && problems && TYPE_UNAVAILABLE.test(problems)) {
      return { files, read: { type, state: 'unavailable', reason: problems } };
    }
    return { files, read: { type, state: 'read' } };
  } catch (error) {
    const reason = describeError(error);
    return { files: [], read: { type, state: TYPE_UNAVAILABLE.test(reason) ? 'unavailable' : 'failed', reason } };
  }
}

/** Retrieves every Bot, GenAiPlannerBundle, GenAiPlugin and GenAiFunction, one retrieve per type (in parallel). */
export async function retrieveAgentMetadata(connection: Connection, options: RetrieveOptions): Promise<AgentMetadata> {
  const output = await mkdtemp(path.join(tmpdir(), 'prechat-guard-agents-'));
  try {
    // One retrieve per type: a type the org does not offer then costs only its own answer, not the others'.
    const results = await Promise.all(
      AGENT_METADATA_TYPES.map((type) => retrieveType(connection, type, output, options)),
    );
    return { files: results.flatMap((result) => result.files), reads: results.map((result) => result.read) };
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}
