// The org certificate's public part: retrieve it (Metadata API), read it with the service's own certificate reader,
// check it, and describe it as the trust-store file and JWKS entry the verification service uses. Private keys are
// never requested or written.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import {
  CertificateError,
  EXPIRY_WARNING_DAYS,
  MIN_RSA_BITS,
  readCertificateChain,
  type CertificateChain,
} from '../../keys/certificate';
import { OrgCommandError } from './errors';
import type { PublicJwk as ServiceJwk } from '../../keys/jwks';

// The same thresholds the service applies to its trust store.
export { EXPIRY_WARNING_DAYS, MIN_RSA_BITS };
const DAY_MS = 24 * 60 * 60 * 1000;

/** The certificate as read by the service's own reader, plus the RSA modulus and exponent for the JWKS entry. */
export interface InspectedCertificate extends CertificateChain {
  /** RSA modulus and exponent, base64url (JWKS `n`, `e`) */
  n: string;
  e: string;
}

export interface ValidityAssessment {
  level: 'ok' | 'warn' | 'error';
  code?: 'certificate_expired' | 'certificate_not_yet_valid' | 'certificate_key_too_small' | 'certificate_expiring';
  message: string;
  daysLeft: number;
}

/** The service's JWKS entry (server/src/keys/jwks.ts) without the thumbprint, which the keyset upload does not need. */
export type PublicJwk = Omit<ServiceJwk, 'x5t#S256'>;

/**
 * Reads a Certificate's content as retrieved from the org (PEM, bare base64 of DER or raw DER) with the service's own
 * reader, so the commands accept exactly what the service will; `name` is the Certificate, for the message.
 */
export function inspectCertificate(content: Buffer, name: string): InspectedCertificate {
  let chain: CertificateChain;
  try {
    chain = readCertificateChain(content, { acceptDer: true });
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    throw new OrgCommandError(
      'certificate_unreadable',
      `The content retrieved for certificate ${name} is not a readable X.509 certificate (${error.message}).`,
      'Open Setup › Certificate and Key Management, check the certificate, or download it there and place it in the ' +
        'trust folder by hand.',
    );
  }
  const jwk = chain.publicKey.export({ format: 'jwk' });
  return { ...chain, n: String(jwk.n), e: String(jwk.e) };
}

export function assessValidity(certificate: InspectedCertificate, now: Date): ValidityAssessment {
  const daysLeft = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
  const until = certificate.notAfter.toISOString();
  if (certificate.modulusBits < MIN_RSA_BITS) {
    return {
      level: 'error',
      code: 'certificate_key_too_small',
      message: `its RSA key has ${certificate.modulusBits} bits; the service needs at least ${MIN_RSA_BITS}`,
      daysLeft,
    };
  }
  if (now.getTime() > certificate.notAfter.getTime()) {
    return { level: 'error', code: 'certificate_expired', message: `it expired on ${until}`, daysLeft };
  }
  if (now.getTime() < certificate.notBefore.getTime()) {
    return {
      level: 'error',
      code: 'certificate_not_yet_valid',
      message: `it is not valid before ${certificate.notBefore.toISOString()}`,
      daysLeft,
    };
  }
  if (daysLeft < EXPIRY_WARNING_DAYS) {
    return {
      level: 'warn',
      code: 'certificate_expiring',
      message: `it expires in ${daysLeft} day(s), on ${until}`,
      daysLeft,
    };
  }
  return { level: 'ok', message: `valid until ${until} (${daysLeft} days left)`, daysLeft };
}

export function toJwk(certificate: InspectedCertificate, kid: string, alg: string): PublicJwk {
  return { kty: 'RSA', kid, alg, use: 'sig', n: certificate.n, e: certificate.e, x5c: certificate.x5c };
}

async function findFile(folder: string, fileName: string): Promise<string | undefined> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const match = entries.find((entry) => entry.isFile() && entry.name === fileName);
  return match ? path.join(match.parentPath, match.name) : undefined;
}

export function retrieveMessages(response: unknown): string {
  const raw = (response as { messages?: unknown }).messages;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list
    .map((message) => (message as { problem?: string }).problem)
    .filter((problem): problem is string => typeof problem === 'string')
    .join('; ');
}

export interface RetrieveOptions {
  pollIntervalMs: number;
  timeoutSeconds: number;
}

/**
 * One Metadata API retrieve of `members` in metadata format, unzipped into `output/<name>`, polled within the command's
 * bounds. Shared by every command that reads metadata from the org.
 */
export async function retrieveInto(
  connection: Connection,
  members: Array<{ fullName: string; type: string }>,
  output: string,
  name: string,
  options: RetrieveOptions,
) {
  const operation = await new ComponentSet(members).retrieve({
    usernameOrConnection: connection,
    output,
    format: 'metadata',
    singlePackage: true,
    unzip: true,
    zipFileName: `${name}.zip`,
  });
  return operation.pollStatus(options.pollIntervalMs, options.timeoutSeconds);
}

/**
 * Retrieves the Certificate component through the Metadata API (SDR). Its `.crt` content is the public certificate
 * chain; the Metadata API has no way to return the private key, so none can leak through this path.
 */
export async function retrieveCertificate(
  connection: Connection,
  name: string,
  options: RetrieveOptions,
): Promise<Buffer> {
  const output = await mkdtemp(path.join(tmpdir(), 'prechat-guard-cert-'));
  try {
    const result = await retrieveInto(
      connection,
      [{ fullName: name, type: 'Certificate' }],
      output,
      'certificate',
      options,
    );
    const file = await findFile(output, `${name}.crt`);
    if (!file) {
      const detail = retrieveMessages(result.response);
      throw new OrgCommandError(
        'certificate_not_found',
        `The org has no certificate named ${name}${detail ? ` (${detail})` : ''}.`,
        'On a new org run the first install (`npm run org:deploy -- --first-install --service-url https://<your ' +
          'service>`); otherwise create the certificate in Setup › Certificate and Key Management, or pass the ' +
          'right name with --cert <developerName>.',
      );
    }
    return await readFile(file);
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}
