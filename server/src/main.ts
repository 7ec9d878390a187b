// Entry point: configuration → app → listen; a dev-mode banner; graceful shutdown on SIGTERM/SIGINT.
import './requireNode'; // first of all: an unsupported Node is refused before anything else is loaded
import './compileCache'; // then: lets Node reuse compiled code for everything required after it
import { buildApp } from './app';
import { ConfigError } from './config';
import { devBanner } from './dev/banner';
import { loadStartupConfig } from './startup';

async function main(): Promise<void> {
  let config;
  let app;
  try {
    config = loadStartupConfig(process.env);
    app = await buildApp({ config });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`prechat-guard: configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.log.info({ mode: config.mode, host: config.host, port, store: app.prechatGuard.bindings.kind }, 'listening');
  if (app.prechatGuard.dev) process.stdout.write(devBanner(app.prechatGuard, config.host, port));

  // Exit 0 after a clean drain; exit 1 when requests had to be cut off at the end of the grace period, so that an
  // orchestrator (and whoever reads its events) can tell a clean stop from one that dropped answers.
  let closing = false;
  const graceSeconds = config.shutdownGraceSeconds;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceSeconds }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      // Idle connections were closed when the server began closing: those left are busy with a request.
      app.server.getConnections((_error, openConnections) => {
        app.log.error(
          { openConnections, graceSeconds },
          'requests still in flight at the end of the grace period (PRECHAT_GUARD_SHUTDOWN_GRACE_S) were cut off',
        );
        process.exit(1);
      });
    }, graceSeconds * 1000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        app.log.error({ err: { message: error.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`prechat-guard: failed to start: ${error.message}\n`);
  process.exit(1);
});
