// The golden token vectors are the one source of truth for the token bytes: this test proves that the vector files
// follow the docs/architecture.md §4.1 / §4.3 rules, that the signatures verify with the test-only certificate, that the service's own
// minting code produces the same bytes, and that the Apex issuer test embeds exactly the same inputs and expectations.
import { X509Certificate, createPrivateKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHeaderJson, buildPayloadJson } from '../../server/src/tokens/mint';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface V2Vector {
  inputs: {
    nowSeconds: number;
    jtiBytesHex: string;
    userId: string;
    kid: string;
    algorithm: string;
    issuer: string;
    audience: string;
    ttlSeconds: number;
    contactId: string;
    accountId: string;
    networkId: string;
    locale: string;
  };
  expected: {
    jti: string;
    headerJson: string;
    payloadJson: string;
    signingInput: string;
    signature: string;
    token: string;
    tokenLength: number;
    expiresAt: string;
  };
  service: { trustDir: string; certificate: string; issuer: string; audience: string; verifyAtSeconds: number };
  testOnlyPrivateKey: string;
}

interface V1Vector {
  inputs: { userId: string; userId15: string; kid: string };
  expected: { token: string; signatureBytes: number };
}

const v2 = JSON.parse(read('test/contract/vectors/identity-token-v2.json')) as V2Vector;
const v1 = JSON.parse(read('test/contract/vectors/legacy-token-v1.json')) as V1Vector;
const certificate = new X509Certificate(read(v2.service.certificate));

const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
function hasValidChecksum(id18: string): boolean {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id18[block * 5 + i]!)) bits |= 1 << i;
    suffix += CHECKSUM[bits];
  }
  return /^[A-Za-z0-9]{18}$/.test(id18) && id18.slice(15) === suffix;
}

/** §4.1 written out independently of the generator: fixed key order, optional claims last, base64url, no padding. */
function rebuild(inputs: V2Vector['inputs']) {
  const jti = Buffer.from(inputs.jtiBytesHex, 'hex').toString('base64url');
  const header: Array<[string, string]> = [
    ['alg', inputs.algorithm],
    ['typ', 'JWT'],
    ['kid', inputs.kid],
  ];
  const payload: Array<[string, string | number]> = [
    ['iss', inputs.issuer],
    ['sub', inputs.userId],
    ['aud', inputs.audience],
    ['iat', inputs.nowSeconds],
    ['nbf', inputs.nowSeconds],
    ['exp', inputs.nowSeconds + inputs.ttlSeconds],
    ['jti', jti],
    ['contact_id', inputs.contactId],
    ['account_id', inputs.accountId],
    ['network_id', inputs.networkId],
    ['locale', inputs.locale],
  ];
  const toJson = (pairs: Array<[string, string | number]>): string =>
    `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  const headerJson = toJson(header);
  const payloadJson = toJson(payload);
  const signingInput = `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
  return { jti, headerJson, payloadJson, signingInput };
}

/** The value of `private static final <Type> <NAME> = <literal>;` in Apex source (string or long literal). */
function apexConstant(source: string, name: string): string | number | undefined {
  const match = new RegExp(`static final \\w+ ${name}\\s*=\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|(\\d+)L?);`).exec(source);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1] : Number(match[2]);
}

describe('identity token v2 golden vector', () => {
  it('uses well-formed inputs: 18-character ids with correct checksums, 16 jti bytes, TTL within 3600 s', () => {
    for (const id of [
      v2.inputs.userId,
      v2.inputs.issuer,
      v2.inputs.contactId,
      v2.inputs.accountId,
      v2.inputs.networkId,
    ]) {
      expect({ id, ok: hasValidChecksum(id) }).toEqual({ id, ok: true });
    }
    expect(v2.inputs.userId.startsWith('005')).toBe(true);
    expect(Buffer.from(v2.inputs.jtiBytesHex, 'hex')).toHaveLength(16);
    expect(v2.inputs.ttlSeconds).toBeLessThanOrEqual(3600);
  });

  it('rebuilds header, payload and signing input byte for byte from the inputs (§4.1)', () => {
    const rebuilt = rebuild(v2.inputs);
    expect(rebuilt.headerJson).toBe('{"alg":"RS256","typ":"JWT","kid":"prechat-guard-1"}');
    expect(rebuilt).toEqual({
      jti: v2.expected.jti,
      headerJson: v2.expected.headerJson,
      payloadJson: v2.expected.payloadJson,
      signingInput: v2.expected.signingInput,
    });
    expect(v2.expected.jti).toHaveLength(22);
    expect(v2.expected.token).toBe(`${v2.expected.signingInput}.${v2.expected.signature}`);
    expect(v2.expected.token).toHaveLength(v2.expected.tokenLength);
    expect(v2.expected.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // The size target of §4.1 (under 1,000 characters with optional claims) holds for 2048-bit keys.
    expect(v2.expected.token.length).toBeLessThan(1000);
    expect(v2.expected.expiresAt).toBe(new Date((v2.inputs.nowSeconds + v2.inputs.ttlSeconds) * 1000).toISOString());
  });

  it('matches what the service-side minting code builds from the same inputs', () => {
    expect(buildHeaderJson('RS256', v2.inputs.kid)).toBe(v2.expected.headerJson);
    const payload = buildPayloadJson(
      {
        privateKey: '',
        kid: v2.inputs.kid,
        issuer: v2.inputs.issuer,
        audience: v2.inputs.audience,
        userId: v2.inputs.userId,
        nowSeconds: v2.inputs.nowSeconds,
        ttlSeconds: v2.inputs.ttlSeconds,
        contactId: v2.inputs.contactId,
        accountId: v2.inputs.accountId,
        networkId: v2.inputs.networkId,
        locale: v2.inputs.locale,
      },
      v2.expected.jti,
    );
    expect(payload).toBe(v2.expected.payloadJson);
  });

  it('carries an RS256 signature that verifies with the test-only certificate', () => {
    const signature = Buffer.from(v2.expected.signature, 'base64url');
    expect(signature).toHaveLength(256);
    expect(verify('sha256', Buffer.from(v2.expected.signingInput), certificate.publicKey, signature)).toBe(true);
  });

  it('fails verification when one payload byte changes (the check can fail)', () => {
    const signature = Buffer.from(v2.expected.signature, 'base64url');
    const tampered = v2.expected.signingInput.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(verify('sha256', Buffer.from(tampered), certificate.publicKey, signature)).toBe(false);
  });

  it('uses a certificate that is test-only, matches the private key and is valid at the vector time', () => {
    expect(v2.service.certificate).toContain('test-only');
    expect(v2.testOnlyPrivateKey).toContain('test-only');
    expect(certificate.subject).toContain('TEST-ONLY');
    expect(certificate.checkPrivateKey(createPrivateKey(read(v2.testOnlyPrivateKey)))).toBe(true);
    const at = v2.service.verifyAtSeconds * 1000;
    expect(Date.parse(certificate.validFrom)).toBeLessThanOrEqual(v2.inputs.nowSeconds * 1000);
    expect(Date.parse(certificate.validTo)).toBeGreaterThan(at);
    expect(v2.service.verifyAtSeconds).toBeGreaterThan(v2.inputs.nowSeconds);
    expect(v2.service.verifyAtSeconds).toBeLessThan(v2.inputs.nowSeconds + v2.inputs.ttlSeconds);
    expect(v2.service.certificate).toBe(`${v2.service.trustDir}/${v2.inputs.kid}.crt`);
  });
});

describe('Apex issuer test embeds the same vector', () => {
  const apex = read('force-app/main/default/classes/PrechatGuardTokenIssuerTest.cls');
  const expectedConstants: Record<string, string | number> = {
    GOLDEN_NOW_SECONDS: v2.inputs.nowSeconds,
    GOLDEN_JTI_BYTES_HEX: v2.inputs.jtiBytesHex,
    GOLDEN_USER_ID: v2.inputs.userId,
    GOLDEN_KID: v2.inputs.kid,
    GOLDEN_ISSUER: v2.inputs.issuer,
    GOLDEN_AUDIENCE: v2.inputs.audience,
    GOLDEN_TTL_SECONDS: v2.inputs.ttlSeconds,
    GOLDEN_CONTACT_ID: v2.inputs.contactId,
    GOLDEN_ACCOUNT_ID: v2.inputs.accountId,
    GOLDEN_NETWORK_ID: v2.inputs.networkId,
    GOLDEN_LOCALE: v2.inputs.locale,
    GOLDEN_JTI: v2.expected.jti,
    GOLDEN_HEADER_JSON: v2.expected.headerJson,
    GOLDEN_PAYLOAD_JSON: v2.expected.payloadJson,
    GOLDEN_SIGNING_INPUT: v2.expected.signingInput,
  };

  it.each(Object.entries(expectedConstants))('%s equals the vector', (name, value) => {
    expect(apexConstant(apex, name)).toBe(value);
  });

  it('asserts the signing input in a test method, not only declares it', () => {
    expect(apex).toMatch(/Assert\.areEqual\(\s*GOLDEN_SIGNING_INPUT,\s*unsigned\.signingInput/);
    expect(apex).toMatch(/Assert\.areEqual\(\s*GOLDEN_PAYLOAD_JSON,\s*unsigned\.payloadJson/);
  });

  it('detects a drifted constant (the comparison can fail)', () => {
    const drifted = apex.replace(v2.expected.signingInput, v2.expected.signingInput.slice(0, -1) + 'x');
    expect(apexConstant(drifted, 'GOLDEN_SIGNING_INPUT')).not.toBe(v2.expected.signingInput);
  });
});

describe('legacy token v1 golden vector', () => {
  it('is standard base64 of an RSA-SHA256 signature over the UTF-8 user id (§4.3)', () => {
    const signature = Buffer.from(v1.expected.token, 'base64');
    expect(v1.expected.token).not.toContain('.');
    expect(signature.toString('base64')).toBe(v1.expected.token);
    expect(signature).toHaveLength(v1.expected.signatureBytes);
    expect(v1.expected.signatureBytes).toBe(256);
    expect(verify('sha256', Buffer.from(v1.inputs.userId, 'utf8'), certificate.publicKey, signature)).toBe(true);
  });

  it('does not verify over the 15-character form (the signature binds the exact bytes)', () => {
    const signature = Buffer.from(v1.expected.token, 'base64');
    expect(v1.inputs.userId15).toBe(v1.inputs.userId.slice(0, 15));
    expect(verify('sha256', Buffer.from(v1.inputs.userId15, 'utf8'), certificate.publicKey, signature)).toBe(false);
  });
});
