import { choosePinning, pinnedCommand } from '../../../bench/lib/pinning';

describe('choosePinning', () => {
  it('pins the server to core 0 and the load generator to core 1 with taskset and two cores', () => {
    const pinning = choosePinning('/usr/bin/taskset', 2);
    expect(pinning).toMatchObject({ pinned: true, serverCpu: 0, loadCpu: 1 });
    expect(pinnedCommand(pinning, 'server', 'node', ['main.js'])).toEqual([
      '/usr/bin/taskset',
      ['-c', '0', 'node', 'main.js'],
    ]);
    expect(pinnedCommand(pinning, 'load', 'wrk', ['-t1'])).toEqual(['/usr/bin/taskset', ['-c', '1', 'wrk', '-t1']]);
  });

  it('runs unpinned, and says so, without taskset', () => {
    const pinning = choosePinning(null, 8);
    expect(pinning.pinned).toBe(false);
    expect(pinning.note).toMatch(/^NOT PINNED: taskset is not installed/);
    expect(pinnedCommand(pinning, 'server', 'node', ['main.js'])).toEqual(['node', ['main.js']]);
  });

  it('runs unpinned, and says so, on one core', () => {
    const pinning = choosePinning('/usr/bin/taskset', 1);
    expect(pinning.pinned).toBe(false);
    expect(pinning.note).toMatch(/^NOT PINNED: only 1 core/);
    expect(pinnedCommand(pinning, 'load', 'wrk', [])).toEqual(['wrk', []]);
  });
});
