// Worker thread: mints a slice of a token pool (RSA signing is the slow part of preparing a benchmark).
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { mintToken } from './tokens';

export interface MintJob {
  privateKeyPem: string;
  kid: string;
  issuer: string;
  audience: string;
  iat: number;
  ttlSeconds: number;
  count: number;
}

const job = workerData as MintJob;
const privateKey = createPrivateKey(job.privateKeyPem);
const tokens: string[] = new Array<string>(job.count);
for (let i = 0; i < job.count; i++) {
  tokens[i] = mintToken({ ...job, privateKey }).token;
}
parentPort!.postMessage(tokens);
