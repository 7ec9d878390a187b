// What `org deploy` accepts and how its help reads. Kept apart from deploy.ts so that `--help` answers without
// loading the Salesforce libraries the deploy itself needs.
import { TARGET_ORG_FLAG, type FlagSpecs } from './args';

export const DEPLOY_FLAGS: FlagSpecs = {
  'target-org': TARGET_ORG_FLAG,
  'first-install': {
    type: 'boolean',
    description: 'first install: also deploy bootstrap (certificates, credentials, settings record)',
  },
  'service-url': {
    type: 'string',
    description: "with --first-install: the service's https URL, written into the Named Credential",
  },
  'with-legacy-chat': { type: 'boolean', description: 'also deploy legacy-chat (legacy Chat, retired 2026-02-14)' },
  'dry-run': { type: 'boolean', description: 'validate only (check-only deploy): nothing is saved in the org' },
  'run-tests': { type: 'boolean', description: "run the deployed folders' Apex tests and print coverage per class" },
  wait: { type: 'string', description: 'minutes to wait for the deploy to finish (default 30)' },
  'skip-lwc-build': { type: 'boolean', description: 'deploy the compiled .js as it is, without running tsc first' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const DEPLOY_SUMMARY =
  'Builds the TypeScript LWC and deploys the Salesforce package with your Salesforce CLI login. Two paths:\n\n' +
  '  Upgrade (default)  deploys force-app, and legacy-chat with --with-legacy-chat. It never deploys bootstrap, and it\n' +
  '                     stops if the org lacks the first-install pieces (certificates PrechatGuard_Signing and\n' +
  '                     PrechatGuard_Caller, External and Named Credential PrechatGuard_Service, settings record\n' +
  '                     PrechatGuard_Setting.Default).\n' +
  '  First install      --first-install --service-url https://<your service>: deploys bootstrap and force-app (and\n' +
  '                     legacy-chat with --with-legacy-chat) in one all-or-nothing deploy, with the Named Credential\n' +
  '                     URL set to --service-url. It refuses an org that already has any first-install piece:\n' +
  '                     deploying them again makes Salesforce generate new certificate key pairs (the service would\n' +
  '                     stop trusting the org) and resets the Named Credential URL and the settings record.\n\n' +
  'Both paths take --dry-run (validate only) and --run-tests (the Apex test classes of the deployed folders).';
