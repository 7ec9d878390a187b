// The prechat-guard command line: serve, inspect a token offline, mint a development token, and the org commands.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { ConfigError, loadConfig } from '../config';
import { ensureDevMaterial } from '../dev/devMaterial';
import { TrustStore } from '../keys/trustStore';
import { parseCompactJws } from '../tokens/compact';
import { explainOutcome } from '../tokens/explain';
import { legacySignature } from '../tokens/legacyV1';
import { mintIdentityToken } from '../tokens/mint';
import { toUserId18 } from '../tokens/salesforceId';
import { TokenVerifier } from '../tokens/verifier';

export const USAGE = `Usage: prechat-guard <command> [options]

Commands:
  serve                         run the verification service (same as npm start)
  inspect <token|-> [--user-id <id>]
                                explain a token offline against the configured trust store:
                                header, claims, and every check with pass/fail and its reason code
  mint --user-id <id> [--ttl <seconds>] [--key <private-key.pem> --kid <kid>]
                                mint a development token (default: the dev-mode key)
  org <deploy|assign|export-cert|doctor> ...
                                admin commands against a Salesforce org (see README "Deploy to your org")

Configuration comes from the environment (README, "Configuration"). Exit codes: 0 ok / token valid,
1 token not valid or command failed, 2 usage error, 78 configuration error.`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  now: () => number;
  stdin: () => string;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
  now: Date.now,
  stdin: () => readFileSync(0, 'utf8'),
};

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

class UsageError extends Error {}

async function inspect(args: string[], io: Io): Promise<number> {
  const tokenArg = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--user-id');
  if (tokenArg === undefined) throw new UsageError('inspect needs a token (or - to read it from standard input)');
  const token = (tokenArg === '-' ? io.stdin() : tokenArg).trim();
  const userId = option(args, '--user-id');
  const config = loadConfig(io.env);
  if (config.mode === 'dev') ensureDevMaterial(config.devDir, io.now());
  const trustStore = new TrustStore(config.trustDir);
  // No binding store offline: the binding step is reported as skipped.
  const verifier = new TokenVerifier({ config, trustStore, bindings: null, now: io.now, cacheSize: 0 });
  const parsed = parseCompactJws(token);
  const structureOk = !('valid' in parsed);
  const legacy = legacySignature(token) !== null;
  io.out(`trust store: ${config.trustDir} (${[...trustStore.snapshot.keys.keys()].join(', ') || 'no keys'})`);
  io.out(`expecting: iss=${config.issuer} aud=${config.audience} alg=${config.algorithms.join('|')}`);
  if (legacy) {
    io.out('format: legacy v1 (base64 signature over the user id; no expiry, no binding)');
  } else if (structureOk) {
    io.out(`header: ${JSON.stringify(parsed.header)}`);
    io.out(`claims: ${JSON.stringify(parsed.payload)}`);
    for (const name of ['iat', 'nbf', 'exp'] as const) {
      const value = parsed.payload[name];
      if (typeof value === 'number' && Number.isFinite(value)) {
        io.out(`  ${name} = ${new Date(value * 1000).toISOString()}`);
      }
    }
  }
  const outcome = await verifier.verify({ token, userId });
  if (!legacy) {
    const rows = explainOutcome(outcome, { structureOk, userIdGiven: userId !== undefined, bindingChecked: false });
    for (const row of rows) {
      io.out(`  ${row.status.padEnd(11)} ${String(row.step).padStart(2)}. ${row.check} [${row.reason}]`);
    }
  }
  if (outcome.valid) {
    io.out(`result: VALID for user ${outcome.userId} (session binding is not checked offline)`);
    return 0;
  }
  io.out(`result: NOT VALID: ${outcome.reason} — ${outcome.detail}`);
  return 1;
}

function mint(args: string[], io: Io): number {
  const userId = toUserId18(option(args, '--user-id') ?? '');
  if (userId === null) throw new UsageError('mint needs --user-id <005… user id, 15 or 18 characters>');
  const ttlRaw = option(args, '--ttl') ?? '300';
  if (!/^\d+$/.test(ttlRaw) || Number(ttlRaw) < 1 || Number(ttlRaw) > 3600) {
    throw new UsageError('--ttl must be a whole number of seconds from 1 to 3600');
  }
  const config = loadConfig(io.env);
  const keyFile = option(args, '--key');
  let privateKey;
  let kid;
  if (keyFile !== undefined) {
    kid = option(args, '--kid');
    if (kid === undefined) throw new UsageError('--key needs --kid <kid of the matching certificate>');
    privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
  } else {
    const dev = ensureDevMaterial(config.devDir, io.now());
    privateKey = dev.privateKey;
    kid = dev.kid;
  }
  const minted = mintIdentityToken({
    privateKey,
    kid,
    issuer: config.issuer,
    audience: config.audience,
    userId,
    nowSeconds: Math.floor(io.now() / 1000),
    ttlSeconds: Number(ttlRaw),
  });
  io.out(minted.token);
  return 0;
}

export async function runCli(argv: string[], io: Io = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'inspect':
        return await inspect(args, io);
      case 'mint':
        return mint(args, io);
      case 'serve':
        await import('../main.js');
        // The service runs until a signal stops it (main.ts exits the process).
        return await new Promise<number>(() => undefined);
      case 'org': {
        // Resolved at run time: the org commands live in scripts/ and are compiled beside the service.
        const modulePath = '../../../scripts/org/main.js';
        const org = (await import(modulePath)) as { runOrgCommand: (argv: string[]) => Promise<number> };
        return await org.runOrgCommand(args);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`prechat-guard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`prechat-guard: configuration error: ${error.message}`);
      return 78;
    }
    throw error;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`prechat-guard: ${error.message}\n`);
      process.exit(1);
    },
  );
}
