// The exchange's own decisions, with a scripted verifier: what it asks the verifier, and when it refuses to issue.
import { jwtVerify } from 'jose';
import type { ConnectConfig } from '../../../server/src/config';
import { EXCHANGE_SESSION_PREFIX, exchangeIdentityToken } from '../../../server/src/connect/exchange';
import { reject, type Outcome, type Verified } from '../../../server/src/tokens/outcome';
import type { VerifyRequest } from '../../../server/src/tokens/verifier';

const NOW_MS = Date.UTC(2026, 10, 23, 12, 0, 0);
const connect: ConnectConfig = {
  widgetId: 'widget-1',
  securityKeys: ['test-only-connect-key-aaaaaaaaaaaaaaaaaaaaaa', 'test-only-connect-key-bbbbbbbbbbbbbbbbbbbbbb'],
  ttlSeconds: 300,
  attributes: [{ attribute: 'userId', claim: 'sub' }],
  origins: [],
};

function verified(binding: Verified['binding']): Verified {
  return {
    valid: true,
    userId: '005000000000001AAA',
    issuer: '00D000000000001AAA',
    tokenId: 'jti-1',
    expiresAt: new Date(NOW_MS + 300_000).toISOString(),
    binding,
    claims: { sub: '005000000000001AAA' },
  };
}

function scriptedVerifier(...answers: Outcome[]) {
  const calls: VerifyRequest[] = [];
  return {
    calls,
    verify: async (request: VerifyRequest) => {
      calls.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected verify call');
      return answer;
    },
  };
}

const run = (verifier: ReturnType<typeof scriptedVerifier>, userId?: string) =>
  exchangeIdentityToken({ token: 'a.b.c', userId }, { connect, verifier, now: () => NOW_MS });

describe('exchangeIdentityToken', () => {
  it('checks statelessly, then binds to a fresh one-off session key, then issues', async () => {
    const verifier = scriptedVerifier(verified('none'), verified('new'));
    const outcome = await run(verifier, '005000000000001AAA');
    expect(outcome).toMatchObject({ valid: true, userId: '005000000000001AAA', tokenId: 'jti-1' });
    expect(verifier.calls[0]).toEqual({ token: 'a.b.c', userId: '005000000000001AAA' });
    expect(verifier.calls[1]).toMatchObject({ token: 'a.b.c', userId: '005000000000001AAA' });
    expect(verifier.calls[1]!.sessionKey).toMatch(new RegExp(`^${EXCHANGE_SESSION_PREFIX}[0-9a-f-]{36}$`));
    const second = scriptedVerifier(verified('none'), verified('new'));
    await run(second);
    expect(second.calls[1]!.sessionKey).not.toBe(verifier.calls[1]!.sessionKey);
    const key = new TextEncoder().encode(connect.securityKeys[0]);
    const { payload } = await jwtVerify((outcome as { chatToken: string }).chatToken, key, {
      currentDate: new Date(NOW_MS),
    });
    expect(payload).toMatchObject({ sub: 'widget-1', exp: NOW_MS / 1000 + 300 });
  });

  it.each(['same-session', 'none'] as const)('refuses to issue when the binding is "%s" (not new)', async (binding) => {
    const outcome = await run(scriptedVerifier(verified('none'), verified(binding)));
    expect(outcome).toMatchObject({ valid: false, reason: 'replayed' });
  });

  it('answers the first verification failure and never binds', async () => {
    const verifier = scriptedVerifier(reject('expired'));
    expect(await run(verifier)).toMatchObject({ valid: false, reason: 'expired' });
    expect(verifier.calls).toHaveLength(1);
  });

  it('answers a failure of the binding step (a race lost to another session)', async () => {
    expect(await run(scriptedVerifier(verified('none'), reject('replayed')))).toMatchObject({ reason: 'replayed' });
  });

  it('refuses a legacy (v1) token without asking the verifier', async () => {
    const verifier = scriptedVerifier();
    const outcome = await exchangeIdentityToken(
      { token: Buffer.alloc(256, 1).toString('base64'), userId: '005000000000001AAA' },
      { connect, verifier, now: () => NOW_MS },
    );
    expect(outcome).toMatchObject({ valid: false, reason: 'legacy_disabled' });
    expect(verifier.calls).toHaveLength(0);
  });
});
