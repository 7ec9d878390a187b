// Test fixtures: trust folders with certificates generated in the test, a frozen clock, configs and apps in-process.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type PrechatGuardApp } from '../../server/src/app';
import type { BindingStore } from '../../server/src/bindings/store';
import { loadConfig } from '../../server/src/config';
import { createSelfSignedCertificate } from '../../server/src/keys/selfSigned';
import { mintIdentityToken, type MintInput } from '../../server/src/tokens/mint';

export const NOW_MS = Date.UTC(2026, 10, 23, 12, 0, 0); // frozen clock: 2026-11-23T12:00:00Z
export const NOW_S = NOW_MS / 1000;
export const ISSUER = '00D000000000001AAA';
export const AUDIENCE = 'prechat-guard';
export const USER_15 = '005000000000001';
export const USER_18 = '005000000000001AAA';
export const OTHER_USER_18 = '005000000000002AAA';
export const CALLER_KEY = 'test-caller-key-0123456789abcdef';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  certPem: string;
}

const keyCache = new Map<string, { certPem: string; privateKeyPem: string }>();

/** A certificate + key; generation is slow-ish (RSA), so identical requests share one per test file. */
export function testKey(
  kid: string,
  options: { notBefore?: Date; notAfter?: Date; modulusLength?: number; label?: string } = {},
): TestKey {
  const cacheKey = JSON.stringify([kid, options]);
  let material = keyCache.get(cacheKey);
  if (!material) {
    material = createSelfSignedCertificate({
      commonName: `prechat-guard test ${kid}`,
      notBefore: options.notBefore ?? new Date(NOW_MS - 30 * 86_400_000),
      notAfter: options.notAfter ?? new Date(NOW_MS + 365 * 86_400_000),
      modulusLength: options.modulusLength,
    });
    keyCache.set(cacheKey, material);
  }
  return { kid, privateKey: createPrivateKey(material.privateKeyPem), certPem: material.certPem };
}

export function tempDir(prefix = 'prechat-guard-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function trustDirWith(keys: TestKey[], extension = '.crt'): string {
  const dir = tempDir('prechat-guard-trust-');
  for (const key of keys) writeFileSync(path.join(dir, `${key.kid}${extension}`), key.certPem);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function productionEnv(trustDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PRECHAT_GUARD_TRUST_DIR: trustDir,
    PRECHAT_GUARD_ISSUER: ISSUER,
    PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
    ...extra,
  };
}

export function mint(key: TestKey, overrides: Partial<MintInput> = {}): string {
  return mintIdentityToken({
    privateKey: key.privateKey,
    kid: key.kid,
    issuer: ISSUER,
    audience: AUDIENCE,
    userId: USER_18,
    nowSeconds: NOW_S,
    ...overrides,
  }).token;
}

/** Signs arbitrary header and payload objects (for malformed and hostile tokens). */
export function signRaw(key: TestKey, header: unknown, payload: unknown, hash = 'sha256'): string {
  const encode = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign(hash, Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: USER_18,
    aud: AUDIENCE,
    iat: NOW_S,
    nbf: NOW_S,
    exp: NOW_S + 300,
    jti: 'test-jti-0001',
    ...overrides,
  };
}

export interface TestApp {
  app: PrechatGuardApp;
  clock: { now: number };
  close: () => Promise<void>;
}

export async function testApp(
  env: Record<string, string>,
  options: { bindings?: BindingStore; nowMs?: number } = {},
): Promise<TestApp> {
  const clock = { now: options.nowMs ?? NOW_MS };
  const app = await buildApp({
    config: loadConfig(env),
    now: () => clock.now,
    logger: false,
    watchTrustStore: false,
    bindings: options.bindings,
  });
  return { app, clock, close: () => app.close() };
}

export async function verify(app: PrechatGuardApp, body: unknown, credential: string | null = CALLER_KEY) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/verify',
    headers: {
      'content-type': 'application/json',
      ...(credential === null ? {} : { authorization: `Bearer ${credential}` }),
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
}
