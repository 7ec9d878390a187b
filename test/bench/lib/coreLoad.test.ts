import { coreShare, coreTimes, processTicks, sampleCore } from '../../../bench/lib/coreLoad';

const procStat = [
  'cpu  324225 585 67531 196226 3058 0 17504 1160 0 0',
  'cpu0 1000 0 200 700 100 0 0 0 0 0',
  'cpu1 139222 381 39361 117035 2421 0 3902 870 0 0',
].join('\n');

describe('coreTimes', () => {
  it('reads one core’s busy and total ticks (idle and iowait are not busy)', () => {
    expect(coreTimes(procStat, 0)).toEqual({ busy: 1200, total: 2000 });
  });

  it('refuses a core that is not there', () => {
    expect(() => coreTimes(procStat, 7)).toThrow('no line for cpu7');
  });
});

describe('processTicks', () => {
  it('adds user and system time, even when the command name has spaces and parentheses', () => {
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 500 0 0';
    expect(processTicks(stat)).toBe(300);
  });
});

describe('coreShare', () => {
  it('splits the core’s busy time between the servers and everything else', () => {
    const share = coreShare(
      { core: { busy: 1000, total: 2000 }, servers: 100 },
      { core: { busy: 1900, total: 3000 }, servers: 800 },
    );
    expect(share.servers).toBeCloseTo(0.7);
    expect(share.others).toBeCloseTo(0.2);
  });

  it('refuses samples with no time between them', () => {
    const sample = { core: { busy: 1, total: 2 }, servers: 0 };
    expect(() => coreShare(sample, sample)).toThrow('no time passed');
  });
});

describe('sampleCore', () => {
  it('reads this process on Linux, or says it cannot', () => {
    const sample = sampleCore(0, [process.pid]);
    if (process.platform === 'linux') expect(sample?.servers).toBeGreaterThan(0);
    else expect(sample).toBeNull();
  });
});
