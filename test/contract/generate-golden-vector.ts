// Writes the golden token vectors that tie the Apex issuer, the service and the docs to one set of bytes:
//   vectors/identity-token-v2.json  (docs/architecture.md §4.1: header JSON, payload JSON, signing input, RS256 signature, token)
//   vectors/legacy-token-v1.json    (docs/architecture.md §4.3: base64 RSA-SHA256 over the user id bytes)
// and refreshes the GOLDEN VECTOR block in force-app/main/default/classes/PrechatGuardTokenIssuerTest.cls from the same inputs.
//
// Run from the repository root: node test/contract/generate-golden-vector.ts   (Node >= 24 strips the types)
// The key pair is created once (test-only, never used anywhere else); RSA PKCS#1 v1.5 signatures are deterministic,
// so re-running with the same key reproduces the same files byte for byte.
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
// With its .ts extension: Node runs this file as it is, without a build, and resolves only the file's real name.
import { createSelfSignedCertificate } from '../../server/src/keys/selfSigned.ts';

const ROOT = process.cwd();
const KEY_PATH = 'test/contract/keys/test-only-golden-vector.key.pem';
const TRUST_DIR = 'test/contract/keys/test-only-trust';
const APEX_TEST = 'force-app/main/default/classes/PrechatGuardTokenIssuerTest.cls';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function id18(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return id15 + suffix;
}

const inputs = {
  nowSeconds: Date.UTC(2026, 10, 23, 16, 0, 0) / 1000,
  jtiBytesHex: '8f3a5c0e91d24b7a6e1f0c9b2d7a4e55',
  userId: id18('005Wt00000BqXyZ'),
  kid: 'prechat-guard-1',
  algorithm: 'RS256',
  issuer: id18('00DWt00000AbCdE'),
  audience: 'prechat-guard',
  ttlSeconds: 300,
  contactId: id18('003Wt00000FgHiJ'),
  accountId: id18('001Wt00000KlMnO'),
  networkId: id18('0DBWt0000000AbC'),
  locale: 'en_US',
};

function ensureKeyPair(kid: string): { privateKeyPem: string; certPath: string } {
  const certPath = join(TRUST_DIR, `${kid}.crt`);
  if (existsSync(join(ROOT, KEY_PATH)) && existsSync(join(ROOT, certPath))) {
    return { privateKeyPem: readFileSync(join(ROOT, KEY_PATH), 'utf8'), certPath };
  }
  const { certPem, privateKeyPem } = createSelfSignedCertificate({
    commonName: 'prechat-guard TEST-ONLY golden vector (never trust in production)',
    serialNumber: '01',
    // Fixed, wide validity so the vector's time (2026-11-23) and any test clock near it are inside it.
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: new Date(Date.UTC(2046, 0, 1)),
  });
  writeFileSync(join(ROOT, KEY_PATH), privateKeyPem);
  writeFileSync(join(ROOT, certPath), certPem);
  return { privateKeyPem, certPath };
}

/** JSON formatted with the repository's prettier settings, so `prettier --check` stays green after a regeneration. */
async function writeJson(path: string, value: unknown): Promise<void> {
  const file = join(ROOT, path);
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value), { ...options, filepath: file }));
}

const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

async function main(): Promise<void> {
  const { privateKeyPem, certPath } = ensureKeyPair(inputs.kid);
  const key = createPrivateKey(privateKeyPem);
  const jti = Buffer.from(inputs.jtiBytesHex, 'hex').toString('base64url');
  // Written out literally (not JSON.stringify of an object) so the key order of §4.1 is visible in this file.
  const headerJson = `{"alg":"${inputs.algorithm}","typ":"JWT","kid":"${inputs.kid}"}`;
  const payloadJson =
    `{"iss":"${inputs.issuer}","sub":"${inputs.userId}","aud":"${inputs.audience}",` +
    `"iat":${inputs.nowSeconds},"nbf":${inputs.nowSeconds},"exp":${inputs.nowSeconds + inputs.ttlSeconds},` +
    `"jti":"${jti}","contact_id":"${inputs.contactId}","account_id":"${inputs.accountId}",` +
    `"network_id":"${inputs.networkId}","locale":"${inputs.locale}"}`;
  const signingInput = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), key).toString('base64url');
  const token = `${signingInput}.${signature}`;

  const v2 = {
    description:
      'Golden vector for identity token v2 (docs/architecture.md §4.1). Signed with a TEST-ONLY key. To accept it, the service ' +
      'needs: trust dir = service.trustDir (kid = file name), issuer = service.issuer, audience = service.audience, ' +
      'algorithm RS256, and a clock at service.verifyAtSeconds (between iat and exp). Regenerate with ' +
      '`node test/contract/generate-golden-vector.ts`.',
    inputs,
    expected: {
      jti,
      headerJson,
      payloadJson,
      signingInput,
      signature,
      token,
      tokenLength: token.length,
      expiresAt: new Date((inputs.nowSeconds + inputs.ttlSeconds) * 1000).toISOString(),
    },
    service: {
      trustDir: TRUST_DIR,
      certificate: certPath,
      issuer: inputs.issuer,
      audience: inputs.audience,
      algorithms: [inputs.algorithm],
      verifyAtSeconds: inputs.nowSeconds + 60,
      sessionTtlSeconds: 14400,
      request: { token, userId: inputs.userId, sessionKey: '0MwWt0000000001AAA' },
      expectedResponse: {
        valid: true,
        userId: inputs.userId,
        issuer: inputs.issuer,
        tokenId: jti,
        binding: 'new',
        // A token bound by this request: expiresAt is the end of its binding (first use + session TTL), §5.
        expiresAt: new Date((inputs.nowSeconds + 60 + 14400) * 1000).toISOString(),
      },
    },
    testOnlyPrivateKey: KEY_PATH,
  };
  await writeJson('test/contract/vectors/identity-token-v2.json', v2);

  const legacySignature = sign('sha256', Buffer.from(inputs.userId, 'utf8'), key).toString('base64');
  const v1 = {
    description:
      'Golden vector for the LEGACY token v1 (docs/architecture.md §4.3): standard base64 of an RSA-SHA256 (PKCS#1 v1.5) ' +
      'signature over the UTF-8 bytes of the user id, as PrechatGuardLegacySigner and the classic blog recipe produce ' +
      'it. Signed with the same TEST-ONLY key as identity-token-v2.json. The service accepts it only with ' +
      'PRECHAT_GUARD_LEGACY=accept and userId in the request.',
    inputs: { userId: inputs.userId, userId15: inputs.userId.slice(0, 15), kid: inputs.kid },
    expected: { token: legacySignature, signatureBytes: Buffer.from(legacySignature, 'base64').length },
    service: {
      trustDir: TRUST_DIR,
      request: { token: legacySignature, userId: inputs.userId },
      expectedResponse: { valid: true, userId: inputs.userId, legacy: true, binding: 'none' },
    },
    testOnlyPrivateKey: KEY_PATH,
  };
  await writeJson('test/contract/vectors/legacy-token-v1.json', v1);

  refreshApexBlock({ ...inputs, jti, headerJson, payloadJson, signingInput });
  console.log(`wrote vectors (token ${token.length} characters) and refreshed ${APEX_TEST}`);
}

/** Rewrites the lines between the GOLDEN VECTOR markers of the Apex test with the same inputs and expectations. */
function refreshApexBlock(
  v: typeof inputs & { jti: string; headerJson: string; payloadJson: string; signingInput: string },
): void {
  const path = join(ROOT, APEX_TEST);
  if (!existsSync(path)) return;
  const source = readFileSync(path, 'utf8');
  const begin = '    // BEGIN GOLDEN VECTOR';
  const end = '    // END GOLDEN VECTOR';
  const start = source.indexOf(begin);
  const stop = source.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${APEX_TEST} has no GOLDEN VECTOR markers`);
  const constant = (type: string, name: string, value: string | number): string =>
    `    private static final ${type} ${name} = ${typeof value === 'number' ? `${value}L` : `'${value}'`};`;
  const lines = [
    `${begin} (generated by test/contract/generate-golden-vector.ts from test/contract/vectors/identity-token-v2.json)`,
    constant('Long', 'GOLDEN_NOW_SECONDS', v.nowSeconds),
    constant('String', 'GOLDEN_JTI_BYTES_HEX', v.jtiBytesHex),
    constant('String', 'GOLDEN_USER_ID', v.userId),
    constant('String', 'GOLDEN_KID', v.kid),
    constant('String', 'GOLDEN_ISSUER', v.issuer),
    constant('String', 'GOLDEN_AUDIENCE', v.audience),
    constant('Integer', 'GOLDEN_TTL_SECONDS', v.ttlSeconds).replace(/L;$/, ';'),
    constant('String', 'GOLDEN_CONTACT_ID', v.contactId),
    constant('String', 'GOLDEN_ACCOUNT_ID', v.accountId),
    constant('String', 'GOLDEN_NETWORK_ID', v.networkId),
    constant('String', 'GOLDEN_LOCALE', v.locale),
    constant('String', 'GOLDEN_JTI', v.jti),
    constant('String', 'GOLDEN_HEADER_JSON', v.headerJson),
    constant('String', 'GOLDEN_PAYLOAD_JSON', v.payloadJson),
    constant('String', 'GOLDEN_SIGNING_INPUT', v.signingInput),
  ];
  writeFileSync(path, source.slice(0, start) + lines.join('\n') + '\n' + source.slice(stop));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
