import { formatRatio, freshLimit, ratio } from '../../../bench/lib/limit';

describe('freshLimit', () => {
  it('adds one RSA verify to the cost of a hello-world POST', () => {
    // 10,000 req/s = 100 µs a request; + 25 µs of RSA = 125 µs → 8,000 req/s
    expect(freshLimit(10_000, 25e-6)).toBeCloseTo(8000, 6);
  });

  it('is always below both the HTTP rate and the RSA rate', () => {
    const limit = freshLimit(17_000, 30e-6);
    expect(limit).toBeLessThan(17_000);
    expect(limit).toBeLessThan(1 / 30e-6);
  });

  it('refuses rates and times that are not positive numbers', () => {
    expect(() => freshLimit(0, 25e-6)).toThrow('hello-world POST rate');
    expect(() => freshLimit(NaN, 25e-6)).toThrow('hello-world POST rate');
    expect(() => freshLimit(10_000, 0)).toThrow('RSA verify time');
    expect(() => freshLimit(10_000, -1)).toThrow('RSA verify time');
  });
});

describe('ratio', () => {
  it('divides by the base', () => {
    expect(ratio(6500, 10_000)).toBe(0.65);
  });

  it('has no ratio without a positive base', () => {
    expect(ratio(6500, undefined)).toBeNull();
    expect(ratio(6500, 0)).toBeNull();
    expect(ratio(NaN, 10)).toBeNull();
  });

  it('prints two decimals, or a dash when there is no ratio', () => {
    expect(formatRatio(0.6543)).toBe('0.65 ×');
    expect(formatRatio(null)).toBe('–');
  });
});
