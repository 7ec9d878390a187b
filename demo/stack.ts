// The whole demo in one call: build the page, start the verification service in development mode (in-process, on
// its own loopback port, sharing the demo clock) and the demo site. Used by `npm run demo` and by the browser test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type PrechatGuardApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { buildDemoBundle, demoSourceDir, projectRoot, snippetSettingsFile, type DemoBundle } from './build';
import { DemoClock } from './site/clock';
import { buildDemoSite } from './site/server';

export interface DemoStackOptions {
  /** Demo site port; 0 picks a free one. */
  port: number;
  /** Service port; 0 picks a free one. */
  servicePort: number;
  /** Where the service keeps its generated development key and caller key. */
  devDir: string;
  /** Where the page bundle is written. */
  outDir: string;
  /** Identity token lifetime (s); default 300, as the Apex issuer's default. */
  tokenTtlSeconds?: number;
  mode?: 'development' | 'production';
  /** Build the page bundle first (default true; API-only tests skip it). */
  build?: boolean;
}

export interface DemoStack {
  url: string;
  serviceUrl: string;
  bundle: DemoBundle | null;
  service: PrechatGuardApp;
  site: FastifyInstance;
  clock: DemoClock;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function urlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server is not listening');
  return `http://${HOST}:${address.port}`;
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const root = projectRoot();
  mkdirSync(options.outDir, { recursive: true });
  const bundle = options.build === false ? null : await buildDemoBundle(options.outDir, { root, mode: options.mode });

  const clock = new DemoClock();
  // Development mode with only what the demo decides: REDIS_URL, caller keys, trust dirs of the shell stay out.
  const config = loadConfig({ PRECHAT_GUARD_DEV_DIR: options.devDir, HOST, PORT: String(options.servicePort) });
  const service = await buildApp({ config, now: clock.now, logger: false });
  const dev = service.prechatGuard.dev;
  if (!dev) {
    await service.close();
    throw new Error('the service did not start in development mode');
  }
  let site: FastifyInstance | undefined;
  try {
    await service.listen({ host: HOST, port: options.servicePort });
    const serviceUrl = urlOf(service);
    site = await buildDemoSite({
      issuer: { privateKey: dev.privateKey, kid: dev.kid, issuer: config.issuer, audience: config.audience },
      serviceUrl,
      callerKey: dev.callerKey,
      clock,
      webDir: path.join(demoSourceDir(root), 'web'),
      bundleDir: options.outDir,
      tokenTtlSeconds: options.tokenTtlSeconds,
      snippetSettingsFile: snippetSettingsFile(root),
    });
    await site.listen({ host: HOST, port: options.port });
    const started = site;
    return {
      url: urlOf(site),
      serviceUrl,
      bundle,
      service,
      site,
      clock,
      close: async () => {
        await started.close();
        await service.close();
      },
    };
  } catch (error) {
    await site?.close();
    await service.close();
    throw error;
  }
}
