// Starts the demo stack for a test file: fresh development keys in a temporary folder, free loopback ports.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoStack, type DemoStack } from '../../../demo/stack';

export const E2E_DIR = path.resolve(__dirname, '..', '..', '..', '.e2e');

export interface TestStack extends DemoStack {
  /** Stops the stack and removes its temporary keys. */
  stop(): Promise<void>;
}

export async function startTestStack(options: { build: boolean }): Promise<TestStack> {
  const devDir = mkdtempSync(path.join(os.tmpdir(), 'prechat-guard-e2e-'));
  const stack = await startDemoStack({
    port: 0,
    servicePort: 0,
    devDir,
    outDir: path.join(E2E_DIR, 'bundle'),
    build: options.build,
    mode: 'development',
  });
  return Object.assign(stack, {
    stop: async () => {
      await stack.close();
      rmSync(devDir, { recursive: true, force: true });
    },
  });
}

/** A minimal cookie-keeping HTTP client for the demo site (one "browser session"). */
export class SiteClient {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async get(pathname: string): Promise<{ status: number; text: string }> {
    const response = await fetch(this.baseUrl + pathname, { headers: { cookie: this.cookie } });
    return { status: response.status, text: await response.text() };
  }

  async post<T = Record<string, unknown>>(
    pathname: string,
    body: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(this.baseUrl + pathname, {
      method: 'POST',
      headers: { 'content-type': contentType, cookie: this.cookie },
      body: JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    return { status: response.status, body: (await response.json()) as T };
  }
}
