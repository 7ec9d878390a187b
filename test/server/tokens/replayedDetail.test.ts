// A bound token answers `replayed` to any other caller; the sentence says which way it happened: another chat
// session, or a call that presented no session key at all.
import { MemoryBindingStore } from '../../../server/src/bindings/memoryStore';
import { loadConfig } from '../../../server/src/config';
import { TrustStore } from '../../../server/src/keys/trustStore';
import { REASONS } from '../../../server/src/tokens/reasons';
import { TokenVerifier } from '../../../server/src/tokens/verifier';
import { NOW_MS, mint, productionEnv, removeDir, testKey, trustDirWith } from '../../support/fixtures';

const key = testKey('replay-key');
let dir: string;
let verifier: TokenVerifier;
beforeEach(() => {
  dir = trustDirWith([key]);
  verifier = new TokenVerifier({
    config: loadConfig(productionEnv(dir)),
    trustStore: new TrustStore(dir),
    bindings: new MemoryBindingStore(100),
    now: () => NOW_MS,
  });
});
afterEach(() => removeDir(dir));

describe('the replayed detail sentence', () => {
  it('a bound token presented without a session key: bound to a chat session, this call presented none', async () => {
    const token = mint(key);
    expect(await verifier.verify({ token, sessionKey: 'chat-A' })).toMatchObject({ valid: true, binding: 'new' });
    const answer = await verifier.verify({ token });
    expect(answer).toMatchObject({ valid: false, reason: 'replayed' });
    const detail = (answer as { detail: string }).detail;
    expect(detail).toMatch(/already bound to a chat session/);
    expect(detail).toMatch(/this call presented no session key/);
    expect(detail).not.toMatch(/another chat session/);
  });

  it('a bound token presented with another session key: bound to another chat session', async () => {
    const token = mint(key);
    await verifier.verify({ token, sessionKey: 'chat-A' });
    expect(await verifier.verify({ token, sessionKey: 'chat-B' })).toEqual({
      valid: false,
      reason: 'replayed',
      detail: REASONS.replayed,
    });
    expect(REASONS.replayed).toMatch(/another chat session/);
  });

  it('the bound session itself still verifies', async () => {
    const token = mint(key);
    await verifier.verify({ token, sessionKey: 'chat-A' });
    expect(await verifier.verify({ token, sessionKey: 'chat-A' })).toMatchObject({ binding: 'same-session' });
  });
});
