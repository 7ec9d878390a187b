// BASELINE — the cost of one RSA-2048 PKCS#1 v1.5 SHA-256 verify (node:crypto, synchronous) over a realistic token
// signing input, on the core this process runs on. Measured in short rounds: contention from other processes can only
// slow a round down, so the fastest round is the verify's own cost; the median is printed beside it to show the noise.
// Prints one JSON line: {"verifiesPerSecond": fastest round, "medianPerSecond": n, "rounds": [n, …]}.
import { generateKeyPairSync, sign, verify } from 'node:crypto';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 2000);
const roundCount = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const header = Buffer.from('{"alg":"RS256","typ":"JWT","kid":"prechat-guard-1"}').toString('base64url');
const payload = Buffer.from(
  JSON.stringify({ iss: '00D000000000001AAA', sub: '005000000000001AAA', aud: 'prechat-guard', iat: 1, exp: 2 }),
).toString('base64url');
const input = Buffer.from(`${header}.${payload}`);
const signature = sign('sha256', input, privateKey);

// Warm up (JIT, OpenSSL caches), then measure.
for (let i = 0; i < 200; i++) verify('sha256', input, publicKey, signature);
const rounds: number[] = [];
for (let round = 0; round < roundCount; round++) {
  const start = performance.now();
  let iterations = 0;
  while (performance.now() - start < durationMs / roundCount) {
    for (let i = 0; i < 100; i++) {
      if (!verify('sha256', input, publicKey, signature)) throw new Error('signature did not verify');
    }
    iterations += 100;
  }
  rounds.push(Math.round((iterations * 1000) / (performance.now() - start)));
}
const sorted = [...rounds].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    verifiesPerSecond: sorted[sorted.length - 1],
    medianPerSecond: sorted[Math.floor(sorted.length / 2)],
    rounds,
  }),
);
