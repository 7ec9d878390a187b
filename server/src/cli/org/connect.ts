// Opens a connection from the Salesforce CLI's stored login (no passwords, no prompts, no `sf` subprocess).
import { Org, type Connection } from '@salesforce/core';
import { authMissing, describeError, isAuthError } from './errors';

export interface OrgSession {
  org: Org;
  connection: Connection;
  /** the alias or username the admin gave, for messages and next-step commands */
  target: string | undefined;
  username: string;
  orgId: string;
  instanceUrl: string;
}

export async function connectOrg(target: string | undefined): Promise<OrgSession> {
  let org: Org;
  try {
    org = await Org.create(target ? { aliasOrUsername: target } : {});
  } catch (error) {
    if (isAuthError(error)) throw authMissing(target, describeError(error));
    throw error;
  }
  const connection = org.getConnection();
  return {
    org,
    connection,
    target,
    username: connection.getUsername() ?? org.getUsername() ?? 'unknown user',
    orgId: org.getOrgId(),
    instanceUrl: connection.instanceUrl,
  };
}

/** Quotes a value for a SOQL string literal (backslash and single quote are the two characters that need it). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}
