// Settings shared by the hand-written reference servers (bench baselines, not product code).
import { readFileSync } from 'node:fs';

export interface BaselineSettings {
  port: number;
  host: string;
  certificatePem: string;
  issuer: string;
  audience: string;
  callerKey: string;
}

export function baselineSettings(env: NodeJS.ProcessEnv = process.env): BaselineSettings {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  return {
    port: Number(need('PORT')),
    host: env.HOST ?? '127.0.0.1',
    certificatePem: readFileSync(need('BASELINE_CERT_FILE'), 'utf8'),
    issuer: need('BASELINE_ISSUER'),
    audience: need('BASELINE_AUDIENCE'),
    callerKey: need('BASELINE_CALLER_KEY'),
  };
}
