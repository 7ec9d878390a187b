// Which first-install (bootstrap) pieces an org already has: the upgrade needs all of them, the first install none.
import type { Connection } from '@salesforce/core';
import { soqlList } from './connect';
import { OrgCommandError, describeError, isAuthError } from './errors';
import { BOOTSTRAP_PIECES, type BootstrapPiece } from './layout';

export interface InstallationState {
  present: BootstrapPiece[];
  missing: BootstrapPiece[];
  /** the Named Credential's URL when it exists */
  namedCredentialUrl: string | null;
}

type Row = { DeveloperName?: string; Endpoint?: string | null };

const namesOf = (type: BootstrapPiece['type']): string[] =>
  BOOTSTRAP_PIECES.filter((piece) => piece.type === type).map((piece) => piece.name);

function isMissingType(error: unknown): boolean {
  const code = (error as { errorCode?: string }).errorCode ?? (error as Error).name;
  return code === 'INVALID_TYPE' || /INVALID_TYPE|is not supported/i.test(describeError(error));
}

/**
 * One query per metadata type, all read-only. Certificate and ExternalCredential are Tooling API objects;
 * NamedCredential is queried the way the doctor does (REST, with its Endpoint); the settings record through its
 * custom metadata type, which does not exist at all before the first install.
 */
export async function inspectInstallation(connection: Connection): Promise<InstallationState> {
  const found = new Set<string>();
  let namedCredentialUrl: string | null = null;
  const key = (type: string, name: string): string => `${type}:${name}`;
  try {
    const certificates = await connection.tooling.query<Row>(
      `SELECT DeveloperName FROM Certificate WHERE DeveloperName IN ${soqlList(namesOf('Certificate'))}`,
    );
    for (const row of certificates.records) found.add(key('Certificate', row.DeveloperName ?? ''));

    const externals = await connection.tooling.query<Row>(
      `SELECT DeveloperName FROM ExternalCredential WHERE DeveloperName IN ${soqlList(namesOf('ExternalCredential'))}`,
    );
    for (const row of externals.records) found.add(key('ExternalCredential', row.DeveloperName ?? ''));

    const named = await connection.query<Row>(
      `SELECT DeveloperName, Endpoint FROM NamedCredential WHERE DeveloperName IN ${soqlList(namesOf('NamedCredential'))}`,
    );
    for (const row of named.records) {
      found.add(key('NamedCredential', row.DeveloperName ?? ''));
      namedCredentialUrl = row.Endpoint ?? null;
    }

    // Custom metadata records: "<Type>.<Record>" in metadata, <Type>__mdt with DeveloperName <Record> in SOQL.
    const byType = new Map<string, string[]>();
    for (const name of namesOf('CustomMetadata')) {
      const [type, record] = name.split('.') as [string, string];
      byType.set(type, [...(byType.get(type) ?? []), record]);
    }
    for (const [type, records] of byType) {
      try {
        const rows = await connection.query<Row>(
          `SELECT DeveloperName FROM ${type}__mdt WHERE DeveloperName IN ${soqlList(records)}`,
        );
        for (const row of rows.records) found.add(key('CustomMetadata', `${type}.${row.DeveloperName ?? ''}`));
      } catch (error) {
        // No such type yet: force-app was never deployed either, so the record cannot exist.
        if (!isMissingType(error)) throw error;
      }
    }
  } catch (error) {
    if (isAuthError(error)) throw error;
    throw new OrgCommandError(
      'org_request_failed',
      `Could not check which first-install pieces the org already has: ${describeError(error)}`,
      'Deploying needs "Modify Metadata" or "Customize Application" and "View Setup and Configuration"; run as an ' +
        'admin who has them.',
    );
  }
  const present = BOOTSTRAP_PIECES.filter((piece) => found.has(key(piece.type, piece.name)));
  const missing = BOOTSTRAP_PIECES.filter((piece) => !found.has(key(piece.type, piece.name)));
  return { present, missing, namedCredentialUrl };
}
