import { frameName, summarizeProfile, type CpuProfile } from '../../../bench/lib/cpuProfile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
const APP = 'file:///srv/app/dist/server/src/tokens/verifier.js';
const PINO = 'file:///srv/app/node_modules/pino/lib/proto.js';

// root → handler → { verify (crypto), createHash (hashing), pino write → stringify (logging), (idle), (gc) }
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 7, 8] },
    { id: 2, callFrame: frame('handler', APP, 9), children: [3, 4, 5] },
    { id: 3, callFrame: frame('verify'), children: [] },
    { id: 4, callFrame: frame('createHash'), children: [] },
    { id: 5, callFrame: frame('write', PINO, 40), children: [6] },
    { id: 6, callFrame: frame('stringify'), children: [] },
    { id: 7, callFrame: frame('(idle)'), children: [] },
    { id: 8, callFrame: frame('(garbage collector)'), children: [] },
  ],
  // each sample lasts until the next one; the last until endTime
  samples: [3, 3, 3, 4, 6, 2, 7, 7, 8],
  timeDeltas: [0, 100, 100, 100, 100, 100, 100, 100, 100],
  startTime: 0,
  endTime: 900,
};

describe('summarizeProfile', () => {
  const summary = summarizeProfile(profile);

  it('counts idle time apart from the busy time', () => {
    expect(summary.totalMs).toBeCloseTo(0.9);
    expect(summary.busyMs).toBeCloseTo(0.7);
    expect(summary.categories.idle).toBeCloseTo(2 / 9);
  });

  it('ranks functions by self time as a share of the busy time', () => {
    expect(summary.top[0]).toEqual({ name: 'verify', selfMs: 0.3, share: 3 / 7 });
    expect(summary.top.map((t) => t.name)).not.toContain('(idle)');
  });

  it('charges JSON under the logger to logging, and sorts the rest by its innermost frame', () => {
    expect(summary.categories.logging).toBeCloseTo(1 / 7);
    expect(summary.categories.json).toBe(0);
    expect(summary.categories.crypto).toBeCloseTo(3 / 7);
    expect(summary.categories.hashing).toBeCloseTo(1 / 7);
    expect(summary.categories.gc).toBeCloseTo(1 / 7);
    expect(summary.categories.other).toBeCloseTo(1 / 7);
  });

  it('refuses something that is not a CPU profile', () => {
    expect(() => summarizeProfile({ ...profile, timeDeltas: [1] })).toThrow('not a CPU profile');
  });
});

describe('frameName', () => {
  it('names a function by its package or build path and its 1-based line', () => {
    expect(frameName(frame('write', PINO, 40))).toBe('write pino/lib/proto.js:41');
    expect(frameName(frame('handler', APP, 9))).toBe('handler server/src/tokens/verifier.js:10');
    expect(frameName(frame('', 'node:net', 0))).toBe('(anonymous) node:net:1');
    expect(frameName(frame('(garbage collector)'))).toBe('(garbage collector)');
  });
});
