// Start-up checks that look at the disk: a production trust folder must exist, be readable and hold a usable
// certificate, reported together with the environment's problems.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../server/src/config';
import { createSelfSignedCertificate } from '../../server/src/keys/selfSigned';
import { loadStartupConfig } from '../../server/src/startup';
import { removeDir, tempDir } from '../support/fixtures';

function startupError(env: Record<string, string>): ConfigError {
  try {
    loadStartupConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

const base = {
  NODE_ENV: 'production',
  PRECHAT_GUARD_ISSUER: '00D000000000001AAA',
  PRECHAT_GUARD_CALLER_KEYS: 'a-caller-key-that-is-long-enough',
};

describe('the production trust folder at start-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    removeDir(dir);
  });

  it('starts with a folder that holds a certificate', () => {
    writeFileSync(path.join(dir, 'org-1.crt'), createSelfSignedCertificate({ commonName: 'startup' }).certPem);
    expect(loadStartupConfig({ ...base, PRECHAT_GUARD_TRUST_DIR: dir }).mode).toBe('production');
  });

  it('refuses a folder that does not exist, naming PRECHAT_GUARD_TRUST_DIR', () => {
    const missing = path.join(dir, 'nope');
    const error = startupError({ ...base, PRECHAT_GUARD_TRUST_DIR: missing });
    expect(error.variable).toBe('PRECHAT_GUARD_TRUST_DIR');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('ENOENT');
  });

  it('refuses a folder it cannot read', () => {
    if (process.getuid?.() === 0) return; // root reads any folder; the missing-folder case covers the path
    chmodSync(dir, 0o000);
    const error = startupError({ ...base, PRECHAT_GUARD_TRUST_DIR: dir });
    expect(error.message).toMatch(/PRECHAT_GUARD_TRUST_DIR: cannot read the folder .*EACCES/);
  });

  it('refuses a folder without a certificate file', () => {
    writeFileSync(path.join(dir, 'README.txt'), 'not a certificate');
    const error = startupError({ ...base, PRECHAT_GUARD_TRUST_DIR: dir });
    expect(error.message).toMatch(/PRECHAT_GUARD_TRUST_DIR: .* holds no usable certificate.*no \.crt or \.pem file/);
  });

  it('refuses a folder whose certificates are all unusable, saying which files were skipped and why', () => {
    writeFileSync(path.join(dir, 'broken.crt'), 'garbage');
    writeFileSync(path.join(dir, 'bad kid.pem'), 'garbage');
    mkdirSync(path.join(dir, 'sub'));
    const error = startupError({ ...base, PRECHAT_GUARD_TRUST_DIR: dir });
    expect(error.message).toContain('skipped: ');
    expect(error.message).toContain('bad kid.pem (file name is not a usable kid');
    expect(error.message).toContain('broken.crt (');
  });

  it('reports the trust folder together with the environment problems', () => {
    const error = startupError({ NODE_ENV: 'production', PRECHAT_GUARD_TRUST_DIR: path.join(dir, 'nope') });
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'PRECHAT_GUARD_ISSUER',
      'PRECHAT_GUARD_CALLER_KEYS',
      'PRECHAT_GUARD_TRUST_DIR',
    ]);
  });

  it('does not look for a trust folder in dev mode', () => {
    expect(loadStartupConfig({}).mode).toBe('dev');
  });
});
