// The service side of the golden vectors: the exact bytes the Apex issuer produces are accepted by the service, with
// the response the vector file states. One source of truth for the token format across both languages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testApp, verify } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '../..');
const CALLER = 'golden-vector-caller-key-0123456789';

interface ServiceBlock {
  trustDir: string;
  issuer: string;
  audience?: string;
  algorithms?: string[];
  verifyAtSeconds?: number;
  sessionTtlSeconds?: number;
  request: Record<string, string>;
  expectedResponse: Record<string, unknown>;
}

function vector(name: string): {
  inputs: Record<string, unknown>;
  service: ServiceBlock;
  expected?: Record<string, unknown>;
} {
  return JSON.parse(readFileSync(path.join(ROOT, 'test/contract/vectors', name), 'utf8'));
}

function env(service: ServiceBlock, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PRECHAT_GUARD_TRUST_DIR: path.join(ROOT, service.trustDir),
    PRECHAT_GUARD_ISSUER: service.issuer,
    PRECHAT_GUARD_AUDIENCE: service.audience ?? 'prechat-guard',
    PRECHAT_GUARD_ALGORITHMS: (service.algorithms ?? ['RS256']).join(','),
    PRECHAT_GUARD_CALLER_KEYS: CALLER,
    ...(service.sessionTtlSeconds ? { PRECHAT_GUARD_SESSION_TTL_S: String(service.sessionTtlSeconds) } : {}),
    ...extra,
  };
}

describe('golden vector: identity token v2', () => {
  const v2 = vector('identity-token-v2.json');
  const nowMs = v2.service.verifyAtSeconds! * 1000;

  it('is accepted by the service with the stated response, then bound to its session', async () => {
    const { app, close } = await testApp(env(v2.service), { nowMs });
    const first = await verify(app, v2.service.request, CALLER);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject(v2.service.expectedResponse);
    expect(first.body.claims).toEqual(JSON.parse(v2.expected!.payloadJson as string));
    const replay = await verify(app, { ...v2.service.request, sessionKey: '0MwWt0000000002AAA' }, CALLER);
    expect(replay.body).toMatchObject({ valid: false, reason: 'replayed' });
    await close();
  });

  it('is refused for another issuer, and after its lifetime when unbound', async () => {
    const other = await testApp(env(v2.service, { PRECHAT_GUARD_ISSUER: '00DWt00000ZzZzZMAV' }), { nowMs });
    expect((await verify(other.app, { token: v2.service.request.token }, CALLER)).body.reason).toBe('wrong_issuer');
    await other.close();
    const late = await testApp(env(v2.service), { nowMs: nowMs + 3600_000 });
    expect((await verify(late.app, { token: v2.service.request.token }, CALLER)).body.reason).toBe('expired');
    await late.close();
  });
});

describe('golden vector: legacy token v1', () => {
  const v1 = vector('legacy-token-v1.json');

  it('is accepted only when legacy tokens are enabled', async () => {
    const accepting = await testApp(env({ ...v1.service, issuer: 'any' }, { PRECHAT_GUARD_LEGACY: 'accept' }));
    const accepted = await verify(accepting.app, v1.service.request, CALLER);
    expect(accepted.body).toMatchObject({
      ...v1.service.expectedResponse,
      issuer: null,
      tokenId: null,
      expiresAt: null,
    });
    await accepting.close();
    const rejecting = await testApp(env({ ...v1.service, issuer: 'any' }));
    expect((await verify(rejecting.app, v1.service.request, CALLER)).body.reason).toBe('legacy_disabled');
    await rejecting.close();
  });
});
