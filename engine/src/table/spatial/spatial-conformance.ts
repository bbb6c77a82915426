// The one test suite every spatial strategy must pass: random insert / move / swap-remove
// sequences on a simulated dense table, with every query checked against a brute-force scan.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorldlineError } from '../../errors/index.ts';
import { IdList, type PointColumns, type SpatialIndex } from './spatial-index.ts';

export type IndexFactory = (cols: PointColumns) => SpatialIndex;

/** A dense table of points the way the engine keeps one: swap-remove, columns regrown by doubling. */
class PointTable {
  x = new Float32Array(2);
  y = new Float32Array(2);
  n = 0;
  constructor(readonly index: SpatialIndex) {
    index.bind(this);
  }
  insert(x: number, y: number): number {
    if (this.n === this.x.length) {
      const nx = new Float32Array(this.n * 2), ny = new Float32Array(this.n * 2);
      nx.set(this.x);
      ny.set(this.y);
      this.x = nx;
      this.y = ny;
      this.index.bind(this);
    }
    const slot = this.n++;
    this.x[slot] = x;
    this.y[slot] = y;
    this.index.insert(slot);
    return slot;
  }
  move(slot: number, x: number, y: number): void {
    this.x[slot] = x;
    this.y[slot] = y;
    this.index.move(slot);
  }
  remove(slot: number): void {
    const last = --this.n;
    this.index.remove(slot);
    if (slot !== last) {
      this.x[slot] = this.x[last];
      this.y[slot] = this.y[last];
      this.index.relabel(last, slot);
    }
  }
  oracleRect(minX: number, minY: number, maxX: number, maxY: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const x = this.x[i], y = this.y[i];
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) ids.push(i);
    }
    return ids;
  }
  oracleRadius(cx: number, cy: number, r: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const dx = this.x[i] - cx, dy = this.y[i] - cy;
      if (dx * dx + dy * dy <= r * r) ids.push(i);
    }
    return ids;
  }
}

const out = new IdList(4);
function rect(index: SpatialIndex, minX: number, minY: number, maxX: number, maxY: number): number[] {
  out.clear();
  index.queryRect(minX, minY, maxX, maxY, out);
  return out.toArray().sort((a, b) => a - b);
}
function radius(index: SpatialIndex, cx: number, cy: number, r: number): number[] {
  out.clear();
  index.queryRadius(cx, cy, r, out);
  return out.toArray().sort((a, b) => a - b);
}

// Mostly a crowded small area (many points per cell, many cell changes), sometimes far jumps that
// make a grid re-lay itself, rarely huge or NaN values.
const coord = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: -2000, max: 2000 }).map((v) => v / 10) },
  { weight: 3, arbitrary: fc.integer({ min: -5_000_000, max: 5_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(1e30, -1e30, 3e38, -3e38, 0, -0, Number.NaN) },
);
const span = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 }).map((v) => v / 10), fc.integer({ min: 0, max: 1e7 }));
const slotPick = fc.nat();

type Op =
  | { k: 'insert'; x: number; y: number }
  | { k: 'move'; s: number; x: number; y: number }
  | { k: 'step'; s: number; dx: number; dy: number }
  | { k: 'remove'; s: number }
  | { k: 'rect'; x: number; y: number; w: number; h: number; anchor: number }
  | { k: 'radius'; x: number; y: number; r: number; anchor: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('insert' as const), x: coord, y: coord }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('move' as const), s: slotPick, x: coord, y: coord }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('step' as const), s: slotPick, dx: fc.integer({ min: -40, max: 40 }), dy: fc.integer({ min: -40, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('remove' as const), s: slotPick }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('rect' as const), x: coord, y: coord, w: span, h: span, anchor: fc.integer({ min: -1, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('radius' as const), x: coord, y: coord, r: span, anchor: fc.integer({ min: -1, max: 1000 }) }) },
);

function run(table: PointTable, ops: Op[]): void {
  const index = table.index;
  for (const o of ops) {
    const n = table.n;
    switch (o.k) {
      case 'insert': table.insert(o.x, o.y); break;
      case 'move': if (n > 0) table.move(o.s % n, o.x, o.y); break;
      case 'step': if (n > 0) { const s = o.s % n; table.move(s, table.x[s] + o.dx, table.y[s] + o.dy); } break;
      case 'remove': if (n > 0) table.remove(o.s % n); break;
      case 'rect': {
        // Anchoring a corner on a live point puts points exactly on the bounds.
        const a = o.anchor >= 0 && n > 0 ? o.anchor % n : -1;
        const x0 = a >= 0 ? table.x[a] : o.x, y0 = a >= 0 ? table.y[a] : o.y;
        expect(rect(index, x0, y0, x0 + o.w, y0 + o.h)).toEqual(table.oracleRect(x0, y0, x0 + o.w, y0 + o.h));
        break;
      }
      case 'radius': {
        // Anchoring the radius on a live point's distance puts points exactly on the circle.
        const a = o.anchor >= 0 && n > 0 ? o.anchor % n : -1;
        const r = a >= 0 ? Math.hypot(table.x[a] - o.x, table.y[a] - o.y) : o.r;
        expect(radius(index, o.x, o.y, r)).toEqual(table.oracleRadius(o.x, o.y, r));
        break;
      }
    }
    expect(index.size).toBe(table.n);
  }
  // Whole-world and per-point checks at the end.
  expect(rect(index, -Infinity, -Infinity, Infinity, Infinity)).toEqual(table.oracleRect(-Infinity, -Infinity, Infinity, Infinity));
  for (let i = 0; i < table.n; i++) {
    expect(radius(index, table.x[i], table.y[i], 0)).toEqual(table.oracleRadius(table.x[i], table.y[i], 0));
  }
}

/** Registers the shared suite for one strategy. */
export function spatialConformance(name: string, make: IndexFactory): void {
  describe(`${name}: spatial index conformance`, () => {
    const fresh = () => new PointTable(make({ x: new Float32Array(0), y: new Float32Array(0) }));

    it('matches a brute-force scan over random insert / move / swap-remove sequences', () => {
      fc.assert(fc.property(fc.array(op, { maxLength: 250 }), (ops) => run(fresh(), ops)), { numRuns: 150 });
    });

    it('stays correct for many points moving small steps each tick', () => {
      const t = fresh();
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      for (let i = 0; i < 3000; i++) t.insert(rnd() * 1000, rnd() * 1000);
      for (let tick = 0; tick < 5; tick++) {
        for (let i = 0; i < t.n; i++) t.move(i, t.x[i] + (rnd() - 0.5) * 4, t.y[i] + (rnd() - 0.5) * 4);
        for (let i = 0; i < 200; i++) t.remove(Math.floor(rnd() * t.n));
        for (let i = 0; i < 200; i++) t.insert(rnd() * 1000, rnd() * 1000);
        for (let q = 0; q < 20; q++) {
          const cx = rnd() * 1000, cy = rnd() * 1000;
          expect(radius(t.index, cx, cy, 50)).toEqual(t.oracleRadius(cx, cy, 50));
          expect(rect(t.index, cx, cy, cx + 80, cy + 30)).toEqual(t.oracleRect(cx, cy, cx + 80, cy + 30));
        }
      }
    });

    it('moveFrom with the old position keeps the index exact, for rows that stay in or leave their cell', () => {
      const t = fresh();
      let seed = 5;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      for (let i = 0; i < 2000; i++) t.insert(rnd() * 1000, rnd() * 1000);
      for (let tick = 0; tick < 6; tick++) {
        for (let i = 0; i < t.n; i++) {
          const ox = t.x[i], oy = t.y[i];
          const jump = rnd() < 0.02;
          t.x[i] = jump ? rnd() * 4000 - 1500 : ox + (rnd() - 0.5) * (tick % 2 === 0 ? 0.5 : 30);
          t.y[i] = jump ? rnd() * 4000 - 1500 : oy + (rnd() - 0.5) * (tick % 2 === 0 ? 0.5 : 30);
          t.index.moveFrom(i, ox, oy, t.x[i]!, t.y[i]!);
        }
        for (let q = 0; q < 20; q++) {
          const cx = rnd() * 1000, cy = rnd() * 1000;
          expect(radius(t.index, cx, cy, 45)).toEqual(t.oracleRadius(cx, cy, 45));
          expect(rect(t.index, cx, cy - 20, cx + 70, cy + 30)).toEqual(t.oracleRect(cx, cy - 20, cx + 70, cy + 30));
        }
      }
    });

    it('stays exact when most rows move at once, some across cells, some far, others not at all', () => {
      const t = fresh();
      let seed = 11;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      for (let i = 0; i < 2000; i++) t.insert(rnd() * 1000, rnd() * 1000);
      for (let tick = 0; tick < 4; tick++) {
        for (let i = 0; i < t.n; i++) {
          if (rnd() < 0.3) continue; // unmoved rows keep their positions
          const far = rnd() < 0.02;
          t.move(i, far ? rnd() * 5000 - 2000 : t.x[i] + (rnd() - 0.5) * 40, far ? rnd() * 5000 - 2000 : t.y[i] + (rnd() - 0.5) * 40);
        }
        for (let q = 0; q < 20; q++) {
          const cx = rnd() * 1000, cy = rnd() * 1000;
          expect(radius(t.index, cx, cy, 60)).toEqual(t.oracleRadius(cx, cy, 60));
          expect(rect(t.index, cx - 40, cy, cx + 80, cy + 30)).toEqual(t.oracleRect(cx - 40, cy, cx + 80, cy + 30));
        }
      }
    });

    it('stays correct for crowded spots while the index grows, then drains by swap-remove', () => {
      const t = fresh();
      let seed = 11;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      // 400 spots 100 units apart, 6 points each, inserted spot by spot so structures grow while crowded.
      for (let s = 0; s < 400; s++) {
        for (let k = 0; k < 6; k++) t.insert((s % 20) * 100 + k * 0.25, Math.floor(s / 20) * 100 - k * 0.25);
      }
      const check = () => {
        for (let q = 0; q < 10; q++) {
          const cx = rnd() * 2000, cy = rnd() * 2000, r = rnd() * 150;
          expect(radius(t.index, cx, cy, r)).toEqual(t.oracleRadius(cx, cy, r));
          expect(rect(t.index, cx, cy, cx + r, cy + r / 2)).toEqual(t.oracleRect(cx, cy, cx + r, cy + r / 2));
        }
        expect(t.index.size).toBe(t.n);
      };
      check();
      while (t.n > 0) {
        for (let i = 0; i < 40 && t.n > 0; i++) t.remove(Math.floor(rnd() * t.n));
        for (let i = 0; i < 10 && t.n > 0; i++) {
          const s = Math.floor(rnd() * t.n);
          t.move(s, t.x[s] + 0.01, t.y[s]);
        }
        check();
      }
    });

    it('answers nothing when empty, for inverted rects, negative or NaN radii', () => {
      const t = fresh();
      expect(t.index.size).toBe(0);
      expect(rect(t.index, -Infinity, -Infinity, Infinity, Infinity)).toEqual([]);
      expect(radius(t.index, 0, 0, 1e9)).toEqual([]);
      t.insert(1, 1);
      expect(rect(t.index, 2, 0, 0, 2)).toEqual([]);
      expect(radius(t.index, 1, 1, -1)).toEqual([]);
      expect(radius(t.index, 1, 1, Number.NaN)).toEqual([]);
      expect(rect(t.index, Number.NaN, 0, 2, 2)).toEqual([]);
    });

    it('includes points exactly on rect bounds and on the circle; r = 0 finds exact matches', () => {
      const t = fresh();
      const a = t.insert(10, 20), b = t.insert(30, 40), c = t.insert(3, 4), d = t.insert(-3, -4);
      expect(rect(t.index, 10, 20, 30, 40)).toEqual([a, b]);
      expect(rect(t.index, 10, 20, 10, 20)).toEqual([a]);
      expect(radius(t.index, 0, 0, 5)).toEqual([c, d]);
      expect(radius(t.index, 10, 20, 0)).toEqual([a]);
      expect(radius(t.index, 10.5, 20, 0)).toEqual([]);
    });

    it('handles negative and huge coordinates, and never returns NaN positions', () => {
      const t = fresh();
      const neg = t.insert(-1000.5, -0.25);
      const far = t.insert(1e30, -1e30);
      const max = t.insert(3.4e38, 3.4e38);
      const nan = t.insert(Number.NaN, 5);
      const near = t.insert(0, 0);
      expect(rect(t.index, -Infinity, -Infinity, Infinity, Infinity)).toEqual([neg, far, max, near]);
      expect(rect(t.index, -1001, -1, -1000, 0)).toEqual([neg]);
      // Float32 columns round these values, so query at the stored positions.
      expect(rect(t.index, t.x[far], t.y[far], t.x[far], t.y[far])).toEqual([far]);
      expect(radius(t.index, t.x[max], t.y[max], 1)).toEqual([max]);
      expect(radius(t.index, 0, 0, 2000)).toEqual([neg, near]);
      t.move(nan, 1, 5);
      expect(radius(t.index, 0, 0, 10)).toEqual([nan, near]);
      t.move(far, 2, 2);
      expect(radius(t.index, 0, 0, 10)).toEqual([far, nan, near]);
      expect(t.index.size).toBe(5);
    });

    it('reads positions from re-bound columns after the table regrows', () => {
      const t = fresh();
      for (let i = 0; i < 100; i++) t.insert(i, -i);
      expect(t.x.length).toBeGreaterThanOrEqual(100);
      expect(rect(t.index, 50, -60, 60, -50)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    });

    it('relabel keeps the row findable at its new slot only', () => {
      const t = fresh();
      t.insert(1, 1);
      t.insert(2, 2);
      t.insert(3, 3);
      t.remove(0); // the row at slot 2 (3,3) now lives at slot 0
      expect(radius(t.index, 3, 3, 0)).toEqual([0]);
      expect(rect(t.index, 0, 0, 10, 10)).toEqual([0, 1]);
      t.move(0, 100, 100);
      expect(radius(t.index, 100, 100, 1)).toEqual([0]);
      expect(radius(t.index, 3, 3, 1)).toEqual([]);
    });

    it('clear() empties the index and it can be refilled', () => {
      const t = fresh();
      for (let i = 0; i < 50; i++) t.insert(i, i);
      t.index.clear();
      t.n = 0;
      expect(t.index.size).toBe(0);
      expect(rect(t.index, -Infinity, -Infinity, Infinity, Infinity)).toEqual([]);
      t.insert(5, 5);
      expect(radius(t.index, 5, 5, 0)).toEqual([0]);
    });

    it('reports the memory its storage holds', () => {
      const t = fresh();
      for (let i = 0; i < 5000; i++) t.insert(i % 100, Math.floor(i / 100));
      expect(rect(t.index, 0, 0, 0, 0)).toEqual([0]);
      expect(t.index.memoryBytes()).toBeGreaterThanOrEqual(5000 * 8);
    });

    it('rejects out-of-contract calls with an INTERNAL error', () => {
      const t = fresh();
      t.insert(1, 1);
      t.insert(2, 2);
      const code = (f: () => void) => {
        try { f(); } catch (e) { return e instanceof WorldlineError ? e.code : 'not a WorldlineError'; }
        return 'no error';
      };
      expect(code(() => t.index.insert(0))).toBe('INTERNAL');
      expect(code(() => t.index.move(7))).toBe('INTERNAL');
      expect(code(() => t.index.remove(7))).toBe('INTERNAL');
      expect(code(() => t.index.relabel(1, 0))).toBe('INTERNAL');
      expect(code(() => t.index.relabel(5, 3))).toBe('INTERNAL');
      expect(code(() => t.index.insert(-1))).toBe('INTERNAL');
      expect(t.index.size).toBe(2);
    });
  });
}
