// `npm run demo`: builds the page, starts the verification service (development mode) and the demo site on loopback,
// prints the address, and stops cleanly on Ctrl-C.
import path from 'node:path';
import { projectRoot } from './build';
import { startDemoStack } from './stack';

const USAGE = `Usage: npm run demo -- [--port <site port, default 8790>] [--service-port <default 8791>]`;

export function parsePort(name: string, raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got "${raw ?? ''}".`);
  }
  return Number(raw);
}

export function parseArgs(argv: string[]): { port: number; servicePort: number } {
  const options = { port: 8790, servicePort: 8791 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') options.port = parsePort('--port', argv[++i]);
    else if (arg === '--service-port') options.servicePort = parsePort('--service-port', argv[++i]);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option "${arg}". ${USAGE}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { port, servicePort } = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  process.stdout.write('demo: building the page from force-app and legacy-chat LWC …\n');
  const stack = await startDemoStack({
    port,
    servicePort,
    devDir: path.join(root, '.prechat-guard', 'dev'),
    outDir: path.join(root, '.prechat-guard', 'demo'),
    mode: 'development',
  });
  const bundle = stack.bundle!;
  for (const warning of bundle.warnings) process.stdout.write(`demo: build warning: ${warning}\n`);
  process.stdout.write(
    [
      `demo: built in ${(bundle.durationMs / 1000).toFixed(1)} s`,
      `demo: verification service (development mode) on ${stack.serviceUrl}`,
      '',
      `  Open ${stack.url} in a browser.`,
      '',
      'demo: press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\ndemo: ${signal}: stopping…\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: Error & { code?: string }) => {
    const hint = error.code === 'EADDRINUSE' ? ' (the port is taken: pick another with --port / --service-port)' : '';
    process.stderr.write(`demo: failed to start: ${error.message}${hint}\n`);
    process.exit(1);
  });
}
