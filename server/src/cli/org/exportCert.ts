// `org export-cert`: copy the org certificate's public part into the service's trust folder as `<kid>.crt`.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringFlag, type ParsedFlags } from './args';
import {
  assessValidity,
  inspectCertificate,
  retrieveCertificate,
  toJwk,
  type InspectedCertificate,
} from './certificate';
import { connectOrg } from './connect';
import type { CommandContext } from './context';
import { EXIT, OrgCommandError, type ExitCode } from './errors';
import { PACKAGE_NAMES, readSettings, type PrechatGuardSettings } from './settings';

/** Kids become file names in the trust folder: keep them to a portable, path-free alphabet. */
const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validateKid(kid: string): void {
  if (!KID_PATTERN.test(kid)) {
    throw new OrgCommandError(
      'kid_invalid',
      `"${kid}" cannot be a key id: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      'e.g. --kid prechat-guard-2',
      EXIT.usage,
    );
  }
}

/**
 * The kid in the trust folder must be the kid the org writes into token headers for that certificate; the two ways to
 * get that wrong are caught here, before a file the service would trust under the wrong name is written.
 */
export function checkKidAgainstSettings(certName: string, kid: string, settings: PrechatGuardSettings): void {
  const where = `${PACKAGE_NAMES.settingsType}.${PACKAGE_NAMES.settingsRecord}`;
  if (certName === settings.certificateName && kid !== settings.kid) {
    throw new OrgCommandError(
      'kid_mismatch',
      `The org signs with certificate ${certName} under kid "${settings.kid}" (${where}.Key_Id__c), but you asked ` +
        `to export it as "${kid}": tokens would name a key the service does not have.`,
      `Run again with --kid ${settings.kid}, or change Key_Id__c in the settings record first.`,
    );
  }
  if (certName !== settings.certificateName && kid === settings.kid) {
    throw new OrgCommandError(
      'kid_mismatch',
      `kid "${kid}" already names the live certificate ${settings.certificateName}; exporting ${certName} under it ` +
        'would make the service reject every token signed today.',
      `Give the new certificate its own kid, e.g. --kid ${nextKid(kid)} (see "Rotate the certificate without downtime" in docs/install.md).`,
    );
  }
}

function nextKid(kid: string): string {
  const match = /^(.*?)(\d+)$/.exec(kid);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${kid}-2`;
}

type WriteOutcome = 'written' | 'unchanged' | 'replaced';

async function writeTrustFile(
  folder: string,
  kid: string,
  certificate: InspectedCertificate,
  force: boolean,
): Promise<{ file: string; outcome: WriteOutcome }> {
  const file = path.join(folder, `${kid}.crt`);
  const twin = path.join(folder, `${kid}.pem`);
  if (existsSync(twin)) {
    throw new OrgCommandError(
      'kid_conflict',
      `${twin} already exists; the service refuses a kid present as both .crt and .pem.`,
      `Remove or rename ${twin}, then run again.`,
    );
  }
  let outcome: WriteOutcome = 'written';
  if (existsSync(file)) {
    const existing = await readFile(file);
    let sameKey: boolean;
    try {
      sameKey = inspectCertificate(existing, kid).n === certificate.n;
    } catch {
      sameKey = false; // an unreadable file is "different": only --force replaces it
    }
    if (sameKey && existing.toString('utf8') === certificate.pem) return { file, outcome: 'unchanged' };
    if (!sameKey && !force) {
      throw new OrgCommandError(
        'kid_in_use',
        `${file} already holds a different certificate; overwriting it would stop tokens signed with that key.`,
        'Use a new kid for a new certificate (rotation), or pass --force if you really mean to replace it.',
      );
    }
    outcome = 'replaced';
  }
  await mkdir(folder, { recursive: true });
  await writeFile(file, certificate.pem, { mode: 0o644 });
  return { file, outcome };
}

/** Runs `org export-cert` with its parsed options (`--help` is answered before this module is loaded). */
export async function runExportCert(flags: ParsedFlags, context: CommandContext): Promise<ExitCode> {
  const { io, report } = context;
  const kidFlag = stringFlag(flags, 'kid');
  if (kidFlag !== undefined) validateKid(kidFlag);
  const target = stringFlag(flags, 'target-org');
  const outFolder = path.resolve(io.cwd, stringFlag(flags, 'out') ?? 'trust');

  report.step(`Connecting to ${target ?? 'the default org'} with your Salesforce CLI login…`);
  const session = await connectOrg(target);
  report.ok(`Connected as ${session.username} (${session.instanceUrl})`);

  report.step(`Reading ${PACKAGE_NAMES.settingsType}.${PACKAGE_NAMES.settingsRecord}…`);
  const lookup = await readSettings(session.connection);
  if (!lookup.found) {
    report.warn(
      `Settings record not readable (${lookup.detail}); using --cert/--kid or the package defaults. ` +
        'On a new org, run the first install first (npm run org:deploy -- --first-install --service-url <url>).',
    );
  }
  const settings = lookup.found ? lookup.settings : undefined;
  const certName = stringFlag(flags, 'cert') ?? settings?.certificateName ?? PACKAGE_NAMES.certificate;
  const kid = kidFlag ?? settings?.kid ?? PACKAGE_NAMES.kid;
  validateKid(kid);
  if (settings) checkKidAgainstSettings(certName, kid, settings);

  report.step(`Retrieving the public part of certificate ${certName} (Metadata API)…`);
  const content = await retrieveCertificate(session.connection, certName, {
    pollIntervalMs: io.pollIntervalMs,
    timeoutSeconds: 300,
  });
  const certificate = inspectCertificate(content, certName);
  report.info(`  subject  ${certificate.subject}`);
  report.info(`  key      RSA ${certificate.modulusBits} bits`);
  report.info(`  valid    ${certificate.notBefore.toISOString()} → ${certificate.notAfter.toISOString()}`);

  const validity = assessValidity(certificate, io.now());
  if (validity.level === 'error') {
    throw new OrgCommandError(
      validity.code as 'certificate_expired' | 'certificate_not_yet_valid' | 'certificate_key_too_small',
      `Certificate ${certName} cannot be trusted: ${validity.message}. Nothing was written.`,
      'Create a new certificate (Setup › Certificate and Key Management › Create Self-Signed Certificate, 2048 or ' +
        '4096 bits, private key not exportable) and follow "Rotate the certificate without downtime" in docs/install.md.',
    );
  }
  if (validity.level === 'warn') {
    report.warn(
      `Certificate ${certName}: ${validity.message}. Start a rotation now (docs/install.md › "Rotate the certificate without downtime"); ` +
        'Enhanced Chat also refuses keys with less than 10 days left.',
    );
  } else {
    report.ok(`Certificate ${certName} is in date: ${validity.message}`);
  }

  const written = await writeTrustFile(outFolder, kid, certificate, flags['force'] === true);
  if (written.outcome === 'unchanged') report.ok(`${written.file} already holds this certificate; left unchanged.`);
  else if (written.outcome === 'replaced') report.warn(`Replaced ${written.file} with certificate ${certName}.`);
  else report.ok(`Wrote ${written.file}`);

  const algorithm = settings?.algorithm ?? 'RS256';
  const issuer = settings?.issuer ?? session.orgId;
  const serviceUrl = stringFlag(flags, 'service-url')?.replace(/\/+$/, '');
  const jwksUrl = `${serviceUrl ?? 'https://<your service host>'}/.well-known/jwks.json`;
  report.blank();
  report.info('JWKS entry the service will publish for this key:');
  report.info(JSON.stringify(toJwk(certificate, kid, algorithm), null, 2));
  report.blank();
  report.info('Enhanced Chat user verification (Setup › Enhanced Chat User Verification › New Keyset), if you use it:');
  report.info(`  Keyset type           Endpoint URL (JWKS)`);
  report.info(`  Endpoint URL          ${jwksUrl}`);
  report.info(`  JSON web key issuer   ${issuer}`);
  report.blank();
  report.info(
    `Next: point the service at this folder (PRECHAT_GUARD_TRUST_DIR=${outFolder}, PRECHAT_GUARD_ISSUER=${issuer}); ` +
      `it reloads certificates on change. Then check everything with \`npm run org:doctor -- --target-org ${
        target ?? '<alias>'
      } --service-url ${serviceUrl ?? '<url>'}\`.`,
  );
  return EXIT.ok;
}
