import { mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../../../server/src/app';
import { loadConfig } from '../../../server/src/config';
import { parseCertificateFile } from '../../../server/src/keys/certificate';
import { toJwks } from '../../../server/src/keys/jwks';
import { TrustStore, readTrustDir } from '../../../server/src/keys/trustStore';
import { CALLER_KEY, ISSUER, NOW_MS, removeDir, tempDir, testKey } from '../../support/fixtures';

const a = testKey('key-a');
const b = testKey('key-b');
let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

describe('certificates', () => {
  it('takes the first certificate of a chain file as the key and keeps the chain for x5c', () => {
    const key = parseCertificateFile('chain', a.certPem + '\n' + b.certPem);
    expect(key.x5c).toHaveLength(2);
    const expected = a.privateKey.export({ format: 'jwk' });
    expect(key.publicKey.export({ format: 'jwk' })).toEqual({ kty: 'RSA', n: expected.n, e: expected.e });
    expect(key.subject).toContain('key-a');
    expect(key.modulusBits).toBe(2048);
  });

  it('refuses files with a private key, without a certificate, or with a small RSA key', () => {
    expect(() => parseCertificateFile('x', a.certPem + a.privateKey.export({ format: 'pem', type: 'pkcs8' }))).toThrow(
      /private key/,
    );
    expect(() => parseCertificateFile('x', 'hello')).toThrow(/no PEM certificate/);
    const small = testKey('small', { modulusLength: 1024 });
    expect(() => parseCertificateFile('small', small.certPem)).toThrow(/too small/);
  });
});

describe('trust folder', () => {
  it('loads <kid>.crt and <kid>.pem, skipping a broken file while the rest keep working', () => {
    writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
    writeFileSync(path.join(dir, 'key-b.pem'), b.certPem);
    writeFileSync(path.join(dir, 'broken.crt'), '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const { keys, problems } = readTrustDir(dir);
    expect([...keys.keys()].sort()).toEqual(['key-a', 'key-b']);
    expect(problems).toEqual([{ file: 'broken.crt', problem: expect.any(String) }]);
  });

  it('refuses a kid present as both .crt and .pem', () => {
    writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
    writeFileSync(path.join(dir, 'key-a.pem'), b.certPem);
    const { keys, problems } = readTrustDir(dir);
    expect(keys.size).toBe(0);
    expect(problems[0]!.problem).toMatch(/both \.crt and \.pem/);
  });

  it('keeps the kid to the file name without its last extension', () => {
    writeFileSync(path.join(dir, 'org.2026.crt'), a.certPem);
    expect([...readTrustDir(dir).keys.keys()]).toEqual(['org.2026']);
  });

  it('no object-prototype name can match a kid', () => {
    writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
    const store = new TrustStore(dir);
    for (const kid of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(store.get(kid)).toBeUndefined();
  });

  it('reloads on change without restart, and a removed key stops being trusted', async () => {
    writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
    const store = new TrustStore(dir);
    store.watch(100);
    try {
      expect(store.get('key-b')).toBeUndefined();
      writeFileSync(path.join(dir, 'key-b.crt'), b.certPem);
      await waitFor(() => store.get('key-b') !== undefined);
      unlinkSync(path.join(dir, 'key-a.crt'));
      await waitFor(() => store.get('key-a') === undefined);
      expect(store.snapshot.generation).toBeGreaterThanOrEqual(3);
    } finally {
      store.close();
    }
  });

  it('follows Kubernetes secret links inside the folder (..data), and sees a rotation through them', async () => {
    // A mounted Secret: the files are links into ..data, itself a link to a timestamped folder swapped on update.
    mkdirSync(path.join(dir, '..2026_11_23_12_00_00.1'));
    writeFileSync(path.join(dir, '..2026_11_23_12_00_00.1', 'key-a.crt'), a.certPem);
    symlinkSync('..2026_11_23_12_00_00.1', path.join(dir, '..data'));
    symlinkSync(path.join('..data', 'key-a.crt'), path.join(dir, 'key-a.crt'));
    const store = new TrustStore(dir);
    store.watch(100);
    try {
      expect([...store.snapshot.keys.keys()]).toEqual(['key-a']);
      expect(store.snapshot.problems).toEqual([]);
      // The kubelet's update: a new timestamped folder, then ..data swapped to it in one rename.
      mkdirSync(path.join(dir, '..2026_11_24_12_00_00.2'));
      writeFileSync(path.join(dir, '..2026_11_24_12_00_00.2', 'key-a.crt'), b.certPem);
      symlinkSync('..2026_11_24_12_00_00.2', path.join(dir, '..data_tmp'));
      renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
      const bJwk = b.privateKey.export({ format: 'jwk' });
      await waitFor(() => store.get('key-a')?.publicKey.export({ format: 'jwk' }).n === bJwk.n);
    } finally {
      store.close();
    }
  });

  it('refuses a link that leaves the folder, naming the file, while the rest keep working', () => {
    const outside = tempDir();
    try {
      writeFileSync(path.join(outside, 'elsewhere.crt'), b.certPem);
      writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
      symlinkSync(path.join(outside, 'elsewhere.crt'), path.join(dir, 'key-b.crt'));
      // A relative link that climbs out, and one that reaches out through a linked folder.
      symlinkSync(path.join('..', path.basename(outside), 'elsewhere.crt'), path.join(dir, 'key-c.crt'));
      symlinkSync(outside, path.join(dir, '..linked'));
      symlinkSync(path.join('..linked', 'elsewhere.crt'), path.join(dir, 'key-d.crt'));
      const { keys, problems } = readTrustDir(dir);
      expect([...keys.keys()]).toEqual(['key-a']);
      expect(problems).toEqual(
        ['key-b.crt', 'key-c.crt', 'key-d.crt'].map((file) => ({
          file,
          problem: expect.stringMatching(/link .*outside the trust folder/),
        })),
      );
    } finally {
      removeDir(outside);
    }
  });

  it('the service logs a refused link as a warning that names the file', async () => {
    const outside = tempDir();
    const lines: string[] = [];
    try {
      writeFileSync(path.join(outside, 'elsewhere.crt'), b.certPem);
      writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
      symlinkSync(path.join(outside, 'elsewhere.crt'), path.join(dir, 'key-b.crt'));
      const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      const config = loadConfig({
        NODE_ENV: 'production',
        PRECHAT_GUARD_TRUST_DIR: dir,
        PRECHAT_GUARD_ISSUER: ISSUER,
        PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
      });
      const app = await buildApp({ config, logger, watchTrustStore: false });
      expect(app.prechatGuard.trustStore.get('key-b')).toBeUndefined();
      await app.close();
    } finally {
      removeDir(outside);
    }
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'trust store file skipped',
        file: 'key-b.crt',
        problem: expect.stringContaining('outside the trust folder'),
      }),
    );
  });

  it('reports an unreadable folder as a problem instead of crashing', () => {
    const store = new TrustStore(path.join(dir, 'missing'));
    expect(store.snapshot.keys.size).toBe(0);
    expect(store.snapshot.problems[0]!.problem).toMatch(/cannot read/);
    mkdirSync(path.join(dir, 'missing'));
  });
});

describe('JWKS', () => {
  it('publishes kty, kid, alg, use, n, e and x5c for each key', () => {
    writeFileSync(path.join(dir, 'key-a.crt'), a.certPem);
    const store = new TrustStore(dir);
    const jwks = toJwks(store.validKeys(NOW_MS), 'RS256');
    const jwk = a.privateKey.export({ format: 'jwk' });
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', kid: 'key-a', alg: 'RS256', use: 'sig', n: jwk.n, e: jwk.e }),
    ]);
    expect(jwks.keys[0]!.x5c[0]).toBe(a.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''));
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
