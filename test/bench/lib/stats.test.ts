import { formatSummary, median, summarize } from '../../../bench/lib/stats';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses no values and non-finite values', () => {
    expect(() => median([])).toThrow('median of no values');
    expect(() => median([1, NaN, 3])).toThrow('non-finite');
    expect(() => median([1, Infinity])).toThrow('non-finite');
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('reports the median, the range and the spread relative to the median', () => {
    expect(summarize([9000, 10000, 11000])).toEqual({
      median: 10000,
      min: 9000,
      max: 11000,
      relativeSpread: 0.2,
      samples: 3,
    });
  });

  it('gives a zero spread to identical rounds and to a zero median', () => {
    expect(summarize([5, 5, 5]).relativeSpread).toBe(0);
    expect(summarize([0, 0, 0]).relativeSpread).toBe(0);
  });

  it('prints the median with its range and half the relative spread', () => {
    expect(formatSummary(summarize([9000, 10000, 11000]))).toBe('10,000 (9,000–11,000, ±10 %)');
    expect(formatSummary(summarize([1.25]), 2)).toBe('1.25');
  });
});
