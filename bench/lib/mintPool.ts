// Pre-mints many distinct tokens on all cores, before any measurement starts.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SigningKey } from './keys';
import type { MintJob } from './mintWorker';

export interface PoolOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  count: number;
  ttlSeconds?: number;
}

export async function mintPool(options: PoolOptions): Promise<string[]> {
  const workers = Math.max(1, Math.min(os.availableParallelism(), 8));
  const per = Math.ceil(options.count / workers);
  const iat = Math.floor(Date.now() / 1000);
  const slices = await Promise.all(
    Array.from({ length: workers }, (_, index) => {
      const job: MintJob = {
        privateKeyPem: options.key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        kid: options.key.kid,
        issuer: options.issuer,
        audience: options.audience,
        iat,
        ttlSeconds: options.ttlSeconds ?? 300,
        count: Math.max(0, Math.min(per, options.count - index * per)),
      };
      return new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(path.join(__dirname, 'mintWorker.js'), { workerData: job });
        worker.once('message', (tokens: string[]) => resolve(tokens));
        worker.once('error', reject);
      });
    }),
  );
  return slices.flat();
}
