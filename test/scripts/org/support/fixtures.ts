// Org responses shared by the command tests: the settings record and a certificate retrieve.
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

/** Makes the next Metadata API retrieve return `certs/<name>.crt` with the given content (or nothing for that name). */
export async function serveCertificate(
  api: { retrieve: jest.SpyInstance; checkRetrieveStatus: jest.SpyInstance },
  stored: { name: string; content: string } | { missing: string },
): Promise<void> {
  const zipFile =
    'missing' in stored
      ? await certificateRetrieveZip('Some_Other_Cert', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')
      : await certificateRetrieveZip(stored.name, stored.content);
  api.retrieve.mockResolvedValue({ id: '09S5g00000RetR1EAA', state: 'Queued', done: false });
  api.checkRetrieveStatus.mockResolvedValue({
    id: '09S5g00000RetR1EAA',
    done: true,
    status: 'Succeeded',
    success: true,
    zipFile,
    fileProperties: [],
    messages:
      'missing' in stored
        ? [
            {
              fileName: 'package.xml',
              problem: `Entity of type 'Certificate' named '${stored.missing}' cannot be found`,
            },
          ]
        : [],
  });
}
