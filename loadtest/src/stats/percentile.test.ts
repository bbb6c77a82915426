import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { percentile, percentileSorted, summarize } from './percentile.ts';

describe('percentile', () => {
  it('interpolates between closest ranks (numpy default)', () => {
    const v = [1, 2, 3, 4];
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 100)).toBe(4);
    expect(percentile(v, 50)).toBe(2.5);
    expect(percentile(v, 25)).toBeCloseTo(1.75);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 99)).toBeCloseTo(99.1);
  });

  it('sorts its input numerically, not as strings', () => {
    expect(percentile([100, 9, 20], 50)).toBe(20);
  });

  it('is NaN for no samples and rejects out-of-range p', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentileSorted([1], 101)).toThrow(RangeError);
  });

  it('is monotone in p and bounded by min and max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 99 }), (arr, p) => {
        const a = percentile(arr, p);
        const b = percentile(arr, p + 1);
        expect(a).toBeLessThanOrEqual(b);
        expect(a).toBeGreaterThanOrEqual(Math.min(...arr));
        expect(b).toBeLessThanOrEqual(Math.max(...arr));
      }),
    );
  });

  it('summarize gives count, min, max, mean and the usual percentiles', () => {
    const s = summarize(Array.from({ length: 101 }, (_, i) => i));
    expect(s).toEqual({ count: 101, min: 0, max: 100, mean: 50, p50: 50, p90: 90, p99: 99 });
    expect(summarize([]).p50).toBeNaN();
  });
});
