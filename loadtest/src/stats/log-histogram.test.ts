import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogHistogram } from './log-histogram.ts';
import { percentile } from './percentile.ts';

describe('LogHistogram', () => {
  it('reports quantiles within 1% of the exact value', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 10_000, noNaN: true }), { minLength: 50, maxLength: 500 }), (values) => {
        const h = new LogHistogram();
        for (const v of values) h.record(v);
        const sorted = [...values].sort((a, b) => a - b);
        for (const q of [0.5, 0.9, 0.99]) {
          // The histogram answers with a sample's bucket: compare with the nearest-rank sample.
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
          expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThan(0.01);
        }
      }),
    );
  });

  it('keeps exact count, sum, min and max, and never reports beyond them', () => {
    const h = new LogHistogram();
    for (const v of [3, 1, 2, 1000]) h.record(v);
    expect(h.count).toBe(4);
    expect(h.mean()).toBe(251.5);
    expect(h.quantile(0)).toBe(1);
    expect(h.quantile(1)).toBe(1000);
    expect(h.quantile(0.999)).toBeLessThanOrEqual(1000);
  });

  it('merges across processes through its JSON form as if all samples were recorded in one', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const all = new LogHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 3 ? a : b).record(i / 10);
      all.record(i / 10);
    }
    const merged = LogHistogram.from(JSON.parse(JSON.stringify(a.toJSON())));
    merged.merge(JSON.parse(JSON.stringify(b.toJSON())));
    expect(merged.count).toBe(1000);
    for (const q of [0.1, 0.5, 0.99]) expect(merged.quantile(q)).toBe(all.quantile(q));
    expect(merged.quantile(0.5)).toBeCloseTo(percentile(Array.from({ length: 1000 }, (_, i) => (i + 1) / 10), 50), 0);
  });

  it('ignores negative and non-finite samples, and is NaN when empty', () => {
    const h = new LogHistogram();
    h.record(-1);
    h.record(Number.NaN);
    h.record(Number.POSITIVE_INFINITY);
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    const merged = new LogHistogram();
    merged.merge(h.toJSON());
    expect(merged.count).toBe(0);
    expect(merged.quantile(0.5)).toBeNaN();
  });
});
