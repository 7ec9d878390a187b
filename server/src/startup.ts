// The configuration the service starts with: the environment (config.ts) plus the checks that look at the disk, all
// reported together in one ConfigError so that an operator fixes everything in one round.
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import { trustDirProblem } from './keys/trustStore';

type Env = Record<string, string | undefined>;

export function loadStartupConfig(env: Env = process.env): Config {
  const errors: ConfigError[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.push(error);
  }
  // Given only in production (a trust dir means production mode), so dev mode's generated folder is never checked.
  const trustDir = env.PRECHAT_GUARD_TRUST_DIR?.trim();
  if (trustDir) {
    const problem = trustDirProblem(path.resolve(trustDir));
    if (problem !== null) errors.push(new ConfigError('PRECHAT_GUARD_TRUST_DIR', problem));
  }
  if (errors.length > 0 || config === null) throw ConfigError.combine(errors);
  return config;
}
