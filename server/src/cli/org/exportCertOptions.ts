// What `org export-cert` accepts and how its help reads. Kept apart from exportCert.ts so that `--help` answers
// without loading the Salesforce libraries the export itself needs.
import { TARGET_ORG_FLAG, type FlagSpecs } from './args';

export const EXPORT_CERT_FLAGS: FlagSpecs = {
  'target-org': TARGET_ORG_FLAG,
  cert: {
    type: 'string',
    description: 'Certificate developer name (default: the settings record, else PrechatGuard_Signing)',
  },
  kid: { type: 'string', description: 'key id = trust file name (default: the settings record, else prechat-guard-1)' },
  out: { type: 'string', description: "the service's trust folder (PRECHAT_GUARD_TRUST_DIR); default ./trust" },
  'service-url': { type: 'string', description: 'public URL of the service, to print the exact JWKS URL' },
  force: { type: 'boolean', description: 'replace an existing <kid>.crt that holds a different certificate' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const EXPORT_CERT_SUMMARY =
  "Retrieves the org certificate's public part, checks it, writes <kid>.crt into the trust folder and prints the\n" +
  'JWKS entry and the Enhanced Chat keyset settings. Private keys never leave the org.';
