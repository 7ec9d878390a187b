import { VerificationLogCounter } from '../../../bench/lib/logLines';

const line = (fields: Record<string, unknown>) => `${JSON.stringify({ level: 30, msg: 'verification', ...fields })}\n`;

describe('VerificationLogCounter', () => {
  it('counts verification lines by binding state, across chunk boundaries', () => {
    const counter = new VerificationLogCounter();
    const text = line({ outcome: 'valid', binding: 'new' }) + line({ outcome: 'valid', binding: 'same-session' });
    counter.push(text.slice(0, 17));
    counter.push(text.slice(17, 60));
    counter.push(text.slice(60));
    expect(counter.end()).toEqual({ new: 1, 'same-session': 1 });
  });

  it('counts invalid outcomes apart, and ignores other log lines', () => {
    const counter = new VerificationLogCounter();
    counter.push(line({ outcome: 'invalid', reason: 'replayed' }));
    counter.push('{"level":30,"msg":"listening"}\n');
    expect(counter.end()).toEqual({ invalid: 1 });
  });

  it('counts a last line without a newline at the end', () => {
    const counter = new VerificationLogCounter();
    counter.push(line({ outcome: 'valid', binding: 'none' }).trimEnd());
    expect(counter.counts).toEqual({});
    expect(counter.end()).toEqual({ none: 1 });
  });
});
