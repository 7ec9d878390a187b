// What `org doctor` accepts and how its help reads. Kept apart from doctor.ts so that `--help` answers without
// loading the Salesforce libraries the checks themselves need.
import { TARGET_ORG_FLAG, type FlagSpecs } from './args';

export const DOCTOR_FLAGS: FlagSpecs = {
  'target-org': TARGET_ORG_FLAG,
  'service-url': { type: 'string', description: "the service's public URL (default: the Named Credential's URL)" },
  'caller-key': {
    type: 'string',
    description:
      'a caller API key, to verify the minted token through POST /v1/verify (or env PRECHAT_GUARD_DOCTOR_CALLER_KEY)',
  },
  'skip-mint': { type: 'boolean', description: 'do not mint a token through anonymous Apex' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const DOCTOR_SUMMARY =
  "Checks an installation: components, that every agent and bot binds the actions' Chat Record Id input to the chat's\n" +
  'context variable, settings, certificate, Named Credential, the service (readiness, JWKS) and a token minted in the\n' +
  'org. Exit code 1 when any check fails; warnings alone exit 0.';
