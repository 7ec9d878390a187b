// `prechat-guard mint`: a token signed exactly as Apex signs it, for development and tests. The token alone goes to
// standard output (so `$(prechat-guard mint …)` works); what it was minted for goes to standard error, so a token
// with an unexpected issuer is visible at once instead of failing later as wrong_issuer.
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ensureDevMaterial } from '../dev/devMaterial';
import { DEFAULT_TTL_SECONDS, mintIdentityToken } from '../tokens/mint';
import { toUserId18 } from '../tokens/salesforceId';
import { MAX_TOKEN_LIFETIME_S } from '../tokens/verifier';
import { parseArgs } from './args';
import { CliError, EXIT, UsageError } from './errors';
import type { Io } from './io';
import { audienceOf, explicitIssuer, offlineConfig, type Setting } from './offlineSettings';

const OPTIONS = ['--user-id', '--ttl', '--key', '--kid', '--issuer', '--audience'] as const;

function ttlOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TTL_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_TOKEN_LIFETIME_S) {
    // The verifier refuses a longer lifetime as too_old; minting one would only produce a useless token.
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_S}`, 'mint');
  }
  return Number(raw);
}

function readPrivateKey(file: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(
      'key_unreadable',
      `Cannot use ${file} as a private key: ${(error as Error).message}`,
      'pass --key <PEM file with the RSA private key> whose certificate the verifying service trusts as --kid',
      EXIT.failed,
    );
  }
}

export function mint(args: string[], io: Io): number {
  const { positional, options } = parseArgs(args, OPTIONS, 'mint');
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`, 'mint');
  const userId = toUserId18(options['--user-id'] ?? '');
  if (userId === null) throw new UsageError('mint needs --user-id <005… user id, 15 or 18 characters>', 'mint');
  const ttlSeconds = ttlOf(options['--ttl']);
  const keyFile = options['--key'];
  const kidOption = options['--kid'];
  if (keyFile !== undefined && kidOption === undefined) {
    throw new UsageError('--key needs --kid <kid of the matching certificate>', 'mint');
  }
  if (keyFile === undefined && kidOption !== undefined) {
    // The dev key always signs as the dev kid; a --kid alone would be silently ignored.
    throw new UsageError('--kid needs --key <private key PEM>: the dev key always signs as its own kid', 'mint');
  }
  const config = offlineConfig(io.env);
  let issuer: Setting | undefined = explicitIssuer(io.env, options['--issuer']);
  if (issuer === undefined && keyFile !== undefined) {
    // A token for a real trust store with the dev issuer only ever fails as wrong_issuer: refuse to mint it.
    throw new UsageError(
      '--key needs --issuer <iss> (or PRECHAT_GUARD_ISSUER): the issuer the verifying service expects, usually the ' +
        '18-character org id. The dev issuer is only used with the dev key.',
      'mint',
    );
  }
  issuer ??= { value: config.issuer, source: 'the dev default' };
  const audience = audienceOf(io.env, options['--audience'], config);

  let privateKey: KeyObject;
  let kid: string;
  if (keyFile !== undefined) {
    privateKey = readPrivateKey(keyFile);
    kid = kidOption!;
  } else {
    let generated = false;
    const dev = ensureDevMaterial(config.devDir, io.now(), () => (generated = true));
    if (generated) {
      io.err(
        `prechat-guard: generated a new dev key in ${config.devDir}: only a service using this folder ` +
          '(PRECHAT_GUARD_DEV_DIR) trusts tokens signed with it',
      );
    }
    privateKey = dev.privateKey;
    kid = dev.kid;
  }
  const minted = mintIdentityToken({
    privateKey,
    kid,
    issuer: issuer.value,
    audience: audience.value,
    userId,
    nowSeconds: Math.floor(io.now() / 1000),
    ttlSeconds,
  });
  io.out(minted.token);
  io.err(
    `prechat-guard: minted sub=${userId} iss=${issuer.value} (${issuer.source}) aud=${audience.value} ` +
      `(${audience.source}) kid=${kid} exp=${new Date(minted.expiresAt * 1000).toISOString()} (ttl ${ttlSeconds} s)`,
  );
  return EXIT.ok;
}
