// Real processes over real sockets: two service instances sharing the real Redis, a Redis that is not there,
// and dev mode's quick start (the printed curl line verifies). Runs the compiled service (npm run build:server).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSelfSignedCertificate } from '../../../server/src/keys/selfSigned';
import { mintIdentityToken } from '../../../server/src/tokens/mint';
import { CALLER_KEY, ISSUER, USER_18, removeDir, tempDir } from '../../support/fixtures';
import { SHARED_REDIS_URL, describeWithSharedRedis } from '../../support/sharedRedis';

const MAIN = path.resolve(__dirname, '../../../dist/server/src/main.js');
const REDIS_URL = SHARED_REDIS_URL;
const withRedis = describeWithSharedRedis('"two instances on one Redis" (test/server/process/socket.test.ts)');

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

function startService(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /"port":(\d+),"store"/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        child,
        url: `http://127.0.0.1:${match[1]}`,
        output: () => output,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`service exited early:\n${output}`)));
  });
}

async function post(url: string, body: unknown, key = CALLER_KEY) {
  const response = await fetch(`${url}/v1/verify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

withRedis('two instances on one Redis', () => {
  const signing = createSelfSignedCertificate({ commonName: 'socket test' });
  let trustDir: string;
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    trustDir = tempDir();
    writeFileSync(path.join(trustDir, 'org-1.crt'), signing.certPem);
    const env = {
      NODE_ENV: 'production',
      PRECHAT_GUARD_TRUST_DIR: trustDir,
      PRECHAT_GUARD_ISSUER: ISSUER,
      PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
      REDIS_URL,
    };
    [a, b] = await Promise.all([startService(env), startService(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    removeDir(trustDir);
  });

  const token = () =>
    mintIdentityToken({
      privateKey: signing.privateKeyPem,
      kid: 'org-1',
      issuer: ISSUER,
      audience: 'prechat-guard',
      userId: USER_18,
      nowSeconds: Math.floor(Date.now() / 1000),
    }).token;

  it('a token bound on instance A is replayed on instance B, and same-session on both for its own chat', async () => {
    const t = token();
    expect((await post(a.url, { token: t, sessionKey: 'chat-A' })).body).toMatchObject({ valid: true, binding: 'new' });
    expect((await post(b.url, { token: t, sessionKey: 'chat-B' })).body).toMatchObject({ reason: 'replayed' });
    expect((await post(b.url, { token: t })).body).toMatchObject({ reason: 'replayed' });
    expect((await post(b.url, { token: t, sessionKey: 'chat-A' })).body).toMatchObject({ binding: 'same-session' });
  });

  it('is ready on both instances', async () => {
    for (const instance of [a, b]) {
      const response = await fetch(`${instance.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ bindingStore: { kind: 'redis', reachable: true } });
    }
  });

  it('never logs a token or the caller key', async () => {
    const t = token();
    await post(a.url, { token: t, sessionKey: 'chat-log' });
    await post(a.url, { token: t }, 'wrong-key-0123456789');
    expect(a.output()).not.toContain(t.split('.')[2]!.slice(0, 40));
    expect(a.output()).not.toContain(CALLER_KEY);
    expect(a.output()).toMatch(/"tokenHash":"sha256:[0-9a-f]{12}"/);
  });

  it('exits 0 on SIGTERM', async () => {
    const extra = await startService({
      NODE_ENV: 'production',
      PRECHAT_GUARD_TRUST_DIR: trustDir,
      PRECHAT_GUARD_ISSUER: ISSUER,
      PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
    });
    expect(await extra.stop()).toBe(0);
  });
});

describe('Redis unreachable', () => {
  it('starts, is not ready, and answers 503, never valid', async () => {
    const trustDir = tempDir();
    const signing = createSelfSignedCertificate({ commonName: 'no redis' });
    writeFileSync(path.join(trustDir, 'org-1.crt'), signing.certPem);
    const service = await startService({
      NODE_ENV: 'production',
      PRECHAT_GUARD_TRUST_DIR: trustDir,
      PRECHAT_GUARD_ISSUER: ISSUER,
      PRECHAT_GUARD_CALLER_KEYS: CALLER_KEY,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    try {
      const t = mintIdentityToken({
        privateKey: signing.privateKeyPem,
        kid: 'org-1',
        issuer: ISSUER,
        audience: 'prechat-guard',
        userId: USER_18,
        nowSeconds: Math.floor(Date.now() / 1000),
      }).token;
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(503);
      for (const body of [{ token: t, sessionKey: 'chat' }, { token: t }]) {
        const result = await post(service.url, body);
        expect(result.status).toBe(503);
        expect(result.body.valid).toBeUndefined();
        expect(result.body.error).toBe('store_unavailable');
      }
    } finally {
      await service.stop();
      removeDir(trustDir);
    }
  });
});

describe('dev mode quick start', () => {
  it('prints a curl line whose token verifies', async () => {
    const devDir = tempDir();
    const service = await startService({ PRECHAT_GUARD_DEV_DIR: devDir });
    try {
      const line = service
        .output()
        .split('\n')
        .find((l) => l.includes('/v1/verify'))!;
      const key = /authorization: Bearer ([^']+)'/.exec(line)![1]!;
      const body = JSON.parse(/-d '([^']+)'/.exec(line)![1]!) as Record<string, unknown>;
      const url = /(http:\/\/\S+)\/v1\/verify/.exec(line)![1]!;
      expect(url).toBe(service.url);
      const result = await post(url, body, key);
      expect(result.body).toMatchObject({ valid: true, userId: '005000000000001AAA', binding: 'new' });
    } finally {
      await service.stop();
      removeDir(devDir);
    }
  });

  it('production mode refuses to start without a trust dir and names the variable', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('PRECHAT_GUARD_TRUST_DIR');
  });
});
