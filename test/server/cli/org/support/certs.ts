// Real X.509 certificates for tests: the service's self-signed builder around RSA keys generated in the test run
// (test-only).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { createSelfSignedCertificate } from '../../../../../server/src/keys/selfSigned';

const keyCache = new Map<number, { privateKey: KeyObject; publicKey: KeyObject }>();

export function rsaKeys(bits = 2048, slot = 0): { privateKey: KeyObject; publicKey: KeyObject } {
  const cacheKey = bits * 10 + slot;
  let pair = keyCache.get(cacheKey);
  if (!pair) {
    pair = generateKeyPairSync('rsa', { modulusLength: bits });
    keyCache.set(cacheKey, pair);
  }
  return pair;
}

export interface TestCertificate {
  pem: string;
  privateKey: KeyObject;
}

export function makeCertificate(options: {
  notBefore: Date;
  notAfter: Date;
  bits?: number;
  /** use a second key pair, to model "another certificate" */
  slot?: number;
  commonName?: string;
}): TestCertificate {
  const { privateKey } = rsaKeys(options.bits ?? 2048, options.slot ?? 0);
  const { certPem } = createSelfSignedCertificate({
    commonName: options.commonName ?? 'PrechatGuard_Signing',
    organizationName: 'Acme test-only',
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    privateKey,
    // Fixed: the same key and dates give the same certificate, byte for byte, as an org's certificate would.
    serialNumber: '0a1b2c3d',
  });
  return { pem: certPem, privateKey };
}

export const days = (count: number): number => count * 24 * 60 * 60 * 1000;

/** A compact RS256 JWS with the package's header shape, signed with the given key. */
export function signToken(
  privateKey: KeyObject,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/**
 * The zip a Metadata API retrieve returns for one Certificate, built by SDR's own converter from a source-format
 * certificate (`certs/<name>.crt` + `-meta.xml`), base64 like `checkRetrieveStatus().zipFile`.
 */
export async function certificateRetrieveZip(name: string, crtContent: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pg-cert-src-'));
  try {
    await mkdir(path.join(dir, 'certs'), { recursive: true });
    await writeFile(path.join(dir, 'certs', `${name}.crt`), crtContent);
    await writeFile(
      path.join(dir, 'certs', `${name}.crt-meta.xml`),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Certificate xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
        `    <caSigned>false</caSigned>\n    <keySize>2048</keySize>\n    <masterLabel>${name}</masterLabel>\n` +
        '    <privateKeyExportable>false</privateKeyExportable>\n</Certificate>\n',
    );
    const converted = await new MetadataConverter().convert(ComponentSet.fromSource(dir), 'metadata', { type: 'zip' });
    return converted.zipBuffer!.toString('base64');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
