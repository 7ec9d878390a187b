// BASELINE — the crypto ceiling: a synchronous RSA-2048 PKCS#1 v1.5 SHA-256 verify loop with node:crypto on one core,
// over a realistic token signing input. Prints one JSON line: {"verifiesPerSecond": n, "iterations": n, "ms": n}.
import { generateKeyPairSync, sign, verify } from 'node:crypto';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 2000);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const header = Buffer.from('{"alg":"RS256","typ":"JWT","kid":"prechat-guard-1"}').toString('base64url');
const payload = Buffer.from(
  JSON.stringify({ iss: '00D000000000001AAA', sub: '005000000000001AAA', aud: 'prechat-guard', iat: 1, exp: 2 }),
).toString('base64url');
const input = Buffer.from(`${header}.${payload}`);
const signature = sign('sha256', input, privateKey);

// Warm up (JIT, OpenSSL caches), then measure.
for (let i = 0; i < 200; i++) verify('sha256', input, publicKey, signature);
const start = performance.now();
let iterations = 0;
while (performance.now() - start < durationMs) {
  for (let i = 0; i < 100; i++) {
    if (!verify('sha256', input, publicKey, signature)) throw new Error('signature did not verify');
  }
  iterations += 100;
}
const ms = performance.now() - start;
console.log(
  JSON.stringify({ verifiesPerSecond: Math.round((iterations * 1000) / ms), iterations, ms: Math.round(ms) }),
);
