import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CellIndex } from './cell-index.ts';
import { Region, Ranges, collectRanges } from './region-scan.ts';

function region(rect: boolean, x: number, y: number, hw: number, hh: number): Region {
  const r = new Region();
  r.rect = rect; r.x = x; r.y = y; r.hw = hw; r.hh = rect ? hh : hw; r.r2 = hw * hw;
  return r;
}

const coord = fc.oneof(
  { weight: 40, arbitrary: fc.double({ min: -250, max: 250, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e9) },
);
const shape = fc.record({ rect: fc.boolean(), x: fc.double({ min: -200, max: 200, noNaN: true }), y: fc.double({ min: -200, max: 200, noNaN: true }), hw: fc.double({ min: 0, max: 150, noNaN: true }), hh: fc.double({ min: 0, max: 150, noNaN: true }) });

describe('CellIndex and crescent scans', () => {
  it('a scan of (plus − minus) reaches every point inside plus and not inside minus, non-finite points included', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(coord, coord), { maxLength: 600 }), shape, fc.option(shape), fc.constantFrom(1, 4, 16, 50), fc.integer({ min: 4, max: 1 << 20 }),
      (pts, p, m, cell, maxCells) => {
        const xs = Float64Array.from(pts, (q) => q[0]), ys = Float64Array.from(pts, (q) => q[1]);
        const ids = Int32Array.from(pts, (_, i) => i);
        const ix = new CellIndex(cell, 1, maxCells);
        ix.build(ids, pts.length, xs, ys, [Float64Array.from(pts, (_, i) => i * 10)]);
        expect(ix.n).toBe(pts.length);
        expect((ix.w * ix.h)).toBeLessThanOrEqual(Math.max(maxCells, 1));
        const plus = region(p.rect, p.x, p.y, p.hw, p.hh), minus = m ? region(m.rect, m.x, m.y, m.hw, m.hh) : null;
        const out = new Ranges();
        collectRanges(ix, plus, minus, out);
        const reached = new Set<number>();
        for (let k = 0; k < out.n; k++) {
          for (let e = out.r[k * 2]!; e < out.r[k * 2 + 1]!; e++) {
            const id = ix.data[e * ix.stride + 2]!;
            expect(ix.data[e * ix.stride + 3]).toBe(id * 10);
            reached.add(id);
          }
        }
        for (let i = 0; i < pts.length; i++) {
          const finite = Number.isFinite(xs[i]!) && Number.isFinite(ys[i]!);
          if (!finite) { expect(reached.has(i)).toBe(true); continue; }
          if (plus.contains(xs[i]!, ys[i]!) && !(minus && minus.contains(xs[i]!, ys[i]!))) expect(reached.has(i)).toBe(true);
        }
      },
    ), { numRuns: 150 });
  });
});
