// `prechat-guard inspect`: one token explained offline, check by check, by the service's own verifier. It prints what
// it judged by (trust store and its keys, expected issuer and audience, the clock and its tolerance) before the
// verdict, because a verdict without those is what sends on-call engineers in circles.
import { DEV_KID } from '../dev/devMaterial';
import type { TrustedKey } from '../keys/certificate';
import { TrustStore } from '../keys/trustStore';
import { tokenFingerprint } from '../log';
import { parseCompactJws } from '../tokens/compact';
import { explainOutcome } from '../tokens/explain';
import { legacySignature } from '../tokens/legacyV1';
import { TokenVerifier } from '../tokens/verifier';
import { parseArgs } from './args';
import { describeTime, formatDuration, type ClockRules } from './clock';
import { CliError, EXIT, UsageError } from './errors';
import type { Io } from './io';
import { inspectSettings, type TrustSource } from './offlineSettings';

const OPTIONS = ['--user-id', '--trust-dir', '--issuer', '--audience'] as const;

const SOURCE_TEXT: Record<TrustSource, string> = {
  '--trust-dir': '--trust-dir',
  PRECHAT_GUARD_TRUST_DIR: 'PRECHAT_GUARD_TRUST_DIR',
  dev: 'the dev folder: PRECHAT_GUARD_DEV_DIR, default .prechat-guard/dev in the current folder',
};

function describeKey(key: TrustedKey, nowMs: number): string {
  const validity = `valid from ${key.notBefore.toISOString()} until ${key.notAfter.toISOString()}`;
  const left = (key.notAfter.getTime() - nowMs) / 1000;
  let state: string;
  if (nowMs < key.notBefore.getTime()) state = 'NOT YET VALID';
  else if (left < 0) state = `EXPIRED ${formatDuration(left)} ago`;
  else state = `${formatDuration(left)} left`;
  return `  key ${key.kid}: ${validity} (${state})`;
}

export async function inspect(args: string[], io: Io): Promise<number> {
  const { positional, options } = parseArgs(args, OPTIONS, 'inspect');
  if (positional.length !== 1) {
    throw new UsageError('inspect needs one token (or - to read it from standard input)', 'inspect');
  }
  const token = (positional[0] === '-' ? io.stdin() : positional[0]!).trim();
  const userId = options['--user-id'];
  const settings = inspectSettings(io.env, {
    trustDir: options['--trust-dir'],
    issuer: options['--issuer'],
    audience: options['--audience'],
  });
  // Read once, never watched, never created.
  const trustStore = new TrustStore(settings.trustDir);
  const snapshot = trustStore.snapshot;
  if (snapshot.keys.size === 0) {
    const why = snapshot.problems.map((problem) => `${problem.file}: ${problem.problem}`).join('; ');
    throw new CliError(
      'trust_store_empty',
      `The trust store ${settings.trustDir} (${SOURCE_TEXT[settings.trustSource]}) holds no usable certificate` +
        (why ? ` (${why}).` : ': no <kid>.crt or <kid>.pem file.'),
      'point --trust-dir at the folder of certificates the service trusts (npm run org:export-cert writes one)',
      EXIT.config,
    );
  }
  const nowMs = io.now();
  const { verifier: config } = settings;
  const clock: ClockRules = {
    nowMs,
    toleranceSeconds: config.clockToleranceSeconds,
    maxTokenAgeSeconds: config.maxTokenAgeSeconds,
  };
  // No binding store offline: the binding step is reported as skipped.
  const verifier = new TokenVerifier({ config, trustStore, bindings: null, now: () => nowMs, cacheSize: 0 });

  io.out(`trust store: ${settings.trustDir} (${SOURCE_TEXT[settings.trustSource]})`);
  for (const key of snapshot.keys.values()) io.out(describeKey(key, nowMs));
  for (const problem of snapshot.problems) io.out(`  skipped ${problem.file}: ${problem.problem}`);
  io.out(`expecting: iss=${config.issuer} aud=${config.audience} alg=${config.algorithms.join('|')}`);
  io.out(`now: ${new Date(nowMs).toISOString()} (this machine's clock; the service judges by its own)`);
  io.out(
    `clock tolerance: ${config.clockToleranceSeconds} s (PRECHAT_GUARD_CLOCK_TOLERANCE_S), ` +
      `maximum token age: ${config.maxTokenAgeSeconds} s (PRECHAT_GUARD_MAX_TOKEN_AGE_S)`,
  );

  // The service logs this hash (never the token) with every verification: search the logs for it.
  io.out(`token: ${token.length} characters, logged by the service as tokenHash ${tokenFingerprint(token)}`);
  const parsed = parseCompactJws(token);
  const structureOk = !('valid' in parsed);
  const legacy = legacySignature(token) !== null;
  if (legacy) {
    io.out('format: legacy v1 (base64 signature over the user id; no expiry, no binding)');
  } else if (structureOk) {
    io.out(`header: ${JSON.stringify(parsed.header)}`);
    io.out(`claims: ${JSON.stringify(parsed.payload)}`);
    for (const name of ['iat', 'nbf', 'exp'] as const) {
      const value = parsed.payload[name];
      if (typeof value === 'number' && Number.isFinite(value)) io.out(`  ${describeTime(name, value, clock)}`);
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
    return EXIT.ok;
  }
  io.out(`result: NOT VALID: ${outcome.reason} — ${outcome.detail}`);
  const kid = structureOk ? parsed.header.kid : undefined;
  if (outcome.reason === 'bad_signature' && kid === DEV_KID) {
    io.out(
      `hint: every dev install signs as kid "${DEV_KID}", each with its own key: this token was probably minted by ` +
        'another dev install (or before this dev key was renewed). Inspect it with --trust-dir <that install’s ' +
        '.prechat-guard/dev/trust>.',
    );
  } else if (outcome.reason === 'unknown_key' && typeof kid === 'string') {
    io.out(
      `hint: kid ${JSON.stringify(kid)} is not one of this trust store's: ${[...snapshot.keys.keys()].join(', ')}.`,
    );
  }
  return EXIT.failed;
}
