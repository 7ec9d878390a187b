// What an offline command needs from the configuration, and nothing more. Checking a token needs a trust store, an
// issuer, an audience and the clock rules; minting one needs an issuer and an audience. Neither needs a caller
// credential, Redis or the Amazon Connect settings, which the service's start-up rightly insists on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config';
import type { VerifierOptions } from '../tokens/verifier';
import { CliError, EXIT } from './errors';

type Env = Record<string, string | undefined>;

/** The variables an offline command reads; every other one (caller keys, REDIS_URL, …) is ignored. */
export const OFFLINE_VARIABLES = [
  'PRECHAT_GUARD_ISSUER',
  'PRECHAT_GUARD_AUDIENCE',
  'PRECHAT_GUARD_ALGORITHMS',
  'PRECHAT_GUARD_CLOCK_TOLERANCE_S',
  'PRECHAT_GUARD_MAX_TOKEN_AGE_S',
  'PRECHAT_GUARD_LEGACY',
  'PRECHAT_GUARD_DEV_DIR',
] as const;

/** Where a setting came from, as printed: an option, a variable, or a default. */
export type Source = string;

export interface Setting {
  value: string;
  source: Source;
}

/** Unset and empty both mean "not given", as in config.ts. */
function given(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The service's own rules and error messages (config.ts) applied to the offline variables only. Without a trust
 * folder, NODE_ENV, caller credentials, Redis or Connect settings, loadConfig takes its dev-mode path, which requires
 * nothing; so a bad PRECHAT_GUARD_CLOCK_TOLERANCE_S is refused exactly as the service refuses it, while a missing
 * caller key is not asked for.
 */
export function offlineConfig(env: Env): Config {
  const picked: Env = {};
  for (const name of OFFLINE_VARIABLES) if (env[name] !== undefined) picked[name] = env[name];
  return loadConfig(picked);
}

export function audienceOf(env: Env, option: string | undefined, config: Config): Setting {
  if (option !== undefined) return { value: option, source: '--audience' };
  if (given(env, 'PRECHAT_GUARD_AUDIENCE') !== undefined) {
    return { value: config.audience, source: 'PRECHAT_GUARD_AUDIENCE' };
  }
  return { value: config.audience, source: 'the default' };
}

/** The issuer from --issuer or PRECHAT_GUARD_ISSUER; undefined when neither is given (the caller decides). */
export function explicitIssuer(env: Env, option: string | undefined): Setting | undefined {
  if (option !== undefined) return { value: option, source: '--issuer' };
  const fromEnv = given(env, 'PRECHAT_GUARD_ISSUER');
  return fromEnv === undefined ? undefined : { value: fromEnv, source: 'PRECHAT_GUARD_ISSUER' };
}

export type TrustSource = '--trust-dir' | 'PRECHAT_GUARD_TRUST_DIR' | 'dev';

export interface InspectSettings {
  trustDir: string;
  trustSource: TrustSource;
  issuer: Setting;
  audience: Setting;
  verifier: VerifierOptions['config'];
}

const NO_TRUST_FIX =
  'pass --trust-dir <folder of <kid>.crt files> (the folder the service reads as PRECHAT_GUARD_TRUST_DIR) with ' +
  '--issuer <the org id>, or run from the folder where the dev service created .prechat-guard/dev (or set ' +
  'PRECHAT_GUARD_DEV_DIR to it)';

/**
 * The trust folder, issuer and audience `inspect` checks against. Precedence: --trust-dir, PRECHAT_GUARD_TRUST_DIR,
 * then (outside NODE_ENV=production) the dev trust folder, but only if it already exists: inspect never creates key
 * material, because a freshly generated dev key can only ever answer bad_signature for a good token.
 */
export function inspectSettings(
  env: Env,
  options: { trustDir?: string; issuer?: string; audience?: string },
): InspectSettings {
  const config = offlineConfig(env);
  let trustDir: string;
  let trustSource: TrustSource;
  const trustFromEnv = given(env, 'PRECHAT_GUARD_TRUST_DIR');
  if (options.trustDir !== undefined) {
    trustDir = path.resolve(options.trustDir);
    trustSource = '--trust-dir';
  } else if (trustFromEnv !== undefined) {
    trustDir = path.resolve(trustFromEnv);
    trustSource = 'PRECHAT_GUARD_TRUST_DIR';
  } else if (given(env, 'NODE_ENV') === 'production') {
    throw new CliError(
      'no_trust_store',
      'No trust store to check the token against: PRECHAT_GUARD_TRUST_DIR is not set, and under ' +
        'NODE_ENV=production the dev folder is never used.',
      NO_TRUST_FIX,
      EXIT.config,
    );
  } else {
    trustDir = path.join(config.devDir, 'trust');
    trustSource = 'dev';
    if (!existsSync(trustDir)) {
      throw new CliError(
        'no_trust_store',
        `No trust store to check the token against: PRECHAT_GUARD_TRUST_DIR is not set and there is no dev trust ` +
          `folder at ${trustDir}. inspect never generates keys (a new dev key would call every good token ` +
          'bad_signature).',
        NO_TRUST_FIX,
        EXIT.config,
      );
    }
  }
  let issuer = explicitIssuer(env, options.issuer);
  if (issuer === undefined) {
    if (trustSource !== 'dev') {
      throw new ConfigError(
        'PRECHAT_GUARD_ISSUER',
        'is required to check a token against a trust folder (or pass --issuer): usually your 18-character org id',
      );
    }
    // The dev service's issuer (config.ts): what `npm start` and `mint` use.
    issuer = { value: config.issuer, source: 'the dev default' };
  }
  const audience = audienceOf(env, options.audience, config);
  return {
    trustDir,
    trustSource,
    issuer,
    audience,
    verifier: {
      issuer: issuer.value,
      audience: audience.value,
      algorithms: config.algorithms,
      clockToleranceSeconds: config.clockToleranceSeconds,
      maxTokenAgeSeconds: config.maxTokenAgeSeconds,
      // Offline there is no binding store, so no binding is made and its lifetime never matters.
      sessionTtlSeconds: config.sessionTtlSeconds,
      legacy: config.legacy,
    },
  };
}
