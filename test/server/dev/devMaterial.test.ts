// Dev mode's key material: generated once, reused while usable, renewed before its certificate expires, and each
// generation reported to the caller.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEV_KID, ensureDevMaterial } from '../../../server/src/dev/devMaterial';
import { removeDir, tempDir } from '../../support/fixtures';

const DAY_MS = 86_400_000;
let devDir: string;
beforeEach(() => {
  devDir = tempDir();
});
afterEach(() => removeDir(devDir));

describe('ensureDevMaterial', () => {
  it('generates a signing key, its certificate and a caller key once, and says so', () => {
    const onGenerated = jest.fn();
    const material = ensureDevMaterial(devDir, Date.now(), onGenerated);
    expect(onGenerated).toHaveBeenCalled();
    expect(material.kid).toBe(DEV_KID);
    expect(material.callerKey).toMatch(/^pgdev_[A-Za-z0-9_-]{32}$/);
    const cert = new X509Certificate(readFileSync(material.certPath));
    expect(cert.checkPrivateKey(material.privateKey)).toBe(true);
    expect(statSync(path.join(devDir, 'dev-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(devDir, 'caller-key')).mode & 0o777).toBe(0o600);
  });

  it('reuses the material on the next call and reports nothing', () => {
    const first = ensureDevMaterial(devDir);
    const onGenerated = jest.fn();
    const second = ensureDevMaterial(devDir, Date.now(), onGenerated);
    expect(onGenerated).not.toHaveBeenCalled();
    expect(second.callerKey).toBe(first.callerKey);
    expect(second.privateKey.equals(first.privateKey)).toBe(true);
  });

  it('renews the signing key a week before its certificate expires, and keeps the caller key', () => {
    const first = ensureDevMaterial(devDir);
    const notAfter = Date.parse(new X509Certificate(readFileSync(first.certPath)).validTo);
    const stillFine = ensureDevMaterial(devDir, notAfter - 8 * DAY_MS, jest.fn());
    expect(stillFine.privateKey.equals(first.privateKey)).toBe(true);
    const onGenerated = jest.fn();
    const renewed = ensureDevMaterial(devDir, notAfter - 6 * DAY_MS, onGenerated);
    expect(onGenerated).toHaveBeenCalledTimes(1);
    expect(renewed.privateKey.equals(first.privateKey)).toBe(false);
    expect(renewed.callerKey).toBe(first.callerKey);
  });
});
