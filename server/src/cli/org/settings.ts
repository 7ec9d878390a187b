// Reads the package's settings record (PrechatGuard_Setting__mdt.Default) and the names the package fixes.
import type { Connection } from '@salesforce/core';
import { soqlString } from './connect';
import { describeError } from './errors';

export const PACKAGE_NAMES = {
  settingsType: 'PrechatGuard_Setting__mdt',
  settingsRecord: 'Default',
  certificate: 'PrechatGuard_Signing',
  kid: 'prechat-guard-1',
  audience: 'prechat-guard',
  namedCredential: 'PrechatGuard_Service',
  adminPermissionSet: 'PrechatGuard_Admin',
  botPermissionSet: 'PrechatGuard_Bot_User',
  sitePermissionSet: 'PrechatGuard_Site_User',
  /** in legacy-chat: read access to the LiveChatTranscript identity fields, for the bot user and the admins */
  legacyChatPermissionSet: 'PrechatGuard_Legacy_Chat',
  identityController: 'PrechatGuardIdentityController',
  apexClasses: [
    'PrechatGuardIdentityController',
    'PrechatGuardTokenIssuer',
    'PrechatGuardVerifierClient',
    'PrechatGuardVerifyChatUser',
  ],
} as const;

export interface PrechatGuardSettings {
  certificateName: string;
  kid: string;
  /** null when the record leaves it empty: the issuer then signs with the 18-character org id */
  issuer: string | null;
  audience: string;
  ttlSeconds: number | null;
  algorithm: string;
  namedCredential: string;
  verificationMode: string | null;
}

export type SettingsLookup =
  | { found: true; settings: PrechatGuardSettings }
  | { found: false; reason: 'type_missing' | 'record_missing' | 'query_failed'; detail: string };

const FIELDS = [
  'DeveloperName',
  'Certificate_Name__c',
  'Key_Id__c',
  'Issuer__c',
  'Audience__c',
  'Token_TTL_Seconds__c',
  'Algorithm__c',
  'Named_Credential__c',
  'Verification_Mode__c',
];

type SettingsRow = Record<string, unknown>;

function text(row: SettingsRow, field: string): string | null {
  const value = row[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export async function readSettings(connection: Connection): Promise<SettingsLookup> {
  const soql =
    `SELECT ${FIELDS.join(', ')} FROM ${PACKAGE_NAMES.settingsType} ` +
    `WHERE DeveloperName = ${soqlString(PACKAGE_NAMES.settingsRecord)} LIMIT 1`;
  let rows: SettingsRow[];
  try {
    rows = (await connection.query<SettingsRow>(soql)).records;
  } catch (error) {
    const detail = describeError(error);
    const code = (error as { errorCode?: string }).errorCode ?? (error as Error).name;
    const typeMissing = code === 'INVALID_TYPE' || /INVALID_TYPE|not supported|does not exist/i.test(detail);
    return { found: false, reason: typeMissing ? 'type_missing' : 'query_failed', detail };
  }
  const row = rows[0];
  if (!row) {
    return {
      found: false,
      reason: 'record_missing',
      detail: `${PACKAGE_NAMES.settingsType} has no record named ${PACKAGE_NAMES.settingsRecord}`,
    };
  }
  const ttl = row['Token_TTL_Seconds__c'];
  return {
    found: true,
    settings: {
      certificateName: text(row, 'Certificate_Name__c') ?? PACKAGE_NAMES.certificate,
      kid: text(row, 'Key_Id__c') ?? PACKAGE_NAMES.kid,
      issuer: text(row, 'Issuer__c'),
      audience: text(row, 'Audience__c') ?? PACKAGE_NAMES.audience,
      ttlSeconds: typeof ttl === 'number' ? ttl : null,
      algorithm: text(row, 'Algorithm__c') ?? 'RS256',
      namedCredential: text(row, 'Named_Credential__c') ?? PACKAGE_NAMES.namedCredential,
      verificationMode: text(row, 'Verification_Mode__c'),
    },
  };
}
