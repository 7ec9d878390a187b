// The CLI's mint takes its default and maximum lifetime from the shared constants, not from numbers of its own: the
// constants are replaced here with other values, and the CLI must follow them.
import { runCli } from '../../../server/src/cli/main';
import { removeDir, tempDir } from '../../support/fixtures';
import { captureIo, payloadOf } from './support';

jest.mock('../../../server/src/tokens/mint', () => ({
  ...jest.requireActual('../../../server/src/tokens/mint'),
  DEFAULT_TTL_SECONDS: 120,
}));
jest.mock('../../../server/src/tokens/verifier', () => ({
  ...jest.requireActual('../../../server/src/tokens/verifier'),
  MAX_TOKEN_LIFETIME_S: 900,
}));

let devDir: string;
beforeAll(() => {
  devDir = tempDir();
});
afterAll(() => removeDir(devDir));

const mintArgs = (...extra: string[]) => ['mint', '--user-id', '005000000000001', ...extra];

describe('mint follows the shared lifetime constants', () => {
  it('defaults to DEFAULT_TTL_SECONDS', async () => {
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(mintArgs(), run.io)).toBe(0);
    const claims = payloadOf(run.out[0]!) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('accepts up to MAX_TOKEN_LIFETIME_S and refuses one more, naming the limit', async () => {
    const ok = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(mintArgs('--ttl', '900'), ok.io)).toBe(0);
    const tooLong = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(mintArgs('--ttl', '901'), tooLong.io)).toBe(2);
    expect(tooLong.errors()).toContain('from 1 to 900');
  });

  it('says so in its usage', async () => {
    const run = captureIo({ PRECHAT_GUARD_DEV_DIR: devDir });
    expect(await runCli(['mint', '--help'], run.io)).toBe(0);
    expect(run.text()).toMatch(/default 120, at most 900/);
  });
});
