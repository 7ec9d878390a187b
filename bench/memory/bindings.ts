// RSS of the service with 1,000,000 live bindings in the in-process store. Runs in its own process (started by
// bench/run.ts with --expose-gc): builds the real app (production config, memory store), verifies real tokens through
// the HTTP pipeline (app.inject: signature, claims, binding, verified-token cache; 100,000 in a full run), each with
// its own session key, then fills the rest of the store through the store's own bindIfAbsent with the keys the
// verifier would use. Minting and verifying a million RSA tokens would take minutes, which is why the bulk is filled
// directly. Input: BENCH_TOKENS_FILE, lines of "<token> <sessionKey>". Prints one JSON line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { sessionDigest } from '../../server/src/bindings/store';
import { bindingKey } from '../../server/src/tokens/verifier';
import { randomJti } from '../lib/tokens';

const MB = 1024 * 1024;

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().rss / MB) * 10) / 10;
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_BINDINGS ?? 1_000_000);
  const callerKey = process.env.PRECHAT_GUARD_CALLER_KEYS!;
  const config = loadConfig(process.env);
  const app = await buildApp({ config, logger: false, watchTrustStore: false });
  const store = app.prechatGuard.bindings;
  const rssEmpty = rssMb();

  // Streamed line by line: a file of 100,000 tokens held in memory would be counted as the service's RSS.
  let verified = 0;
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(process.env.BENCH_TOKENS_FILE!) })) {
    if (line === '') continue;
    lines++;
    const [token, sessionKey] = line.split(' ');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/verify',
      headers: { authorization: `Bearer ${callerKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ token, sessionKey }),
    });
    if ((response.json() as { binding?: string }).binding === 'new') verified++;
  }
  if (verified !== lines) throw new Error(`only ${verified} of ${lines} tokens verified and bound`);
  const rssAfterVerified = rssMb();

  const nowMs = Date.now();
  const expiresAtMs = nowMs + config.sessionTtlSeconds * 1000;
  for (let i = verified; i < total; i++) {
    // session keys shaped like MessagingSession ids (0Mw + 15) and distinct from the verified tokens' keys (0Mw5g0…),
    // token keys exactly as the verifier derives them
    await store.bindIfAbsent(
      bindingKey(config.issuer, randomJti()),
      { sessionDigest: sessionDigest(`0Mw5g1${String(i).padStart(12, '0')}`), expiresAtMs },
      nowMs,
    );
  }
  const bindings = (store as { size?: number }).size ?? total;
  const rssFull = rssMb();
  const heapUsedMb = Math.round((process.memoryUsage().heapUsed / MB) * 10) / 10;
  console.log(
    JSON.stringify({
      bindings,
      verifiedThroughHttp: verified,
      rssEmptyMb: rssEmpty,
      rssAfterVerifiedMb: rssAfterVerified,
      rssMb: rssFull,
      heapUsedMb,
    }),
  );
  await app.close();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
