// Cells a region change must look at: those meeting region `plus` except those lying wholly inside
// region `minus`. When an area moves, rows can enter only in (new enter region − old enter region)
// and leave only in (old leave region − new leave region): thin crescents whose cells are a small
// share of the area, found row band by row band with O(1) arithmetic per band.
import { G_AX, G_AY, G_IN2, G_OUT2, G_INW, G_INH, G_OUTW, G_OUTH, type AreaSet } from './area-set.ts';
import type { CellIndex } from './cell-index.ts';

export class Region {
  rect = false;
  x = 0;
  y = 0;
  /** Half extents (circle: both the radius). */
  hw = 0;
  hh = 0;
  /** Squared radius (circles). */
  r2 = 0;

  /** Area `a`'s enter region (inner) or leave region (outer). */
  of(A: AreaSet, a: number, outer: boolean): this {
    const g = A.geo, o = a * 8;
    this.rect = A.rect[a] === 1;
    this.x = g[o + G_AX]!;
    this.y = g[o + G_AY]!;
    this.hw = g[o + (outer ? G_OUTW : G_INW)]!;
    this.hh = g[o + (outer ? G_OUTH : G_INH)]!;
    this.r2 = g[o + (outer ? G_OUT2 : G_IN2)]!;
    return this;
  }

  contains(x: number, y: number): boolean {
    const dx = x - this.x, dy = y - this.y;
    if (this.rect) return Math.abs(dx) <= this.hw && Math.abs(dy) <= this.hh;
    return dx * dx + dy * dy <= this.r2;
  }
}

/** Entry ranges [from, to) of a CellIndex, refilled by each scan. */
export class Ranges {
  r: Int32Array = new Int32Array(64);
  n = 0;
  push(from: number, to: number): void {
    if (from >= to) return;
    if (this.n * 2 + 2 > this.r.length) { const g = new Int32Array(this.r.length * 2); g.set(this.r); this.r = g; }
    this.r[this.n * 2] = from;
    this.r[this.n * 2 + 1] = to;
    this.n++;
  }
}

/** Fills `out` with the entry ranges of the cells meeting `plus` and not wholly inside `minus`
 * (null: none). Per grid row that is at most two runs of cells, each one contiguous run of
 * entries. The overflow entries (non-finite positions) are always included. */
export function collectRanges(ix: CellIndex, plus: Region, minus: Region | null, out: Ranges): void {
  out.n = 0;
  const C = ix.cellSize, inv = ix.inv, start = ix.start, w = ix.w;
  // Generous slack at the rims, so floating-point rounding never drops a cell (scanning one more is free).
  const eps = 1e-9 * (Math.abs(plus.x) + Math.abs(plus.y) + plus.hw + plus.hh + C);
  const epsM = minus ? 1e-9 * (Math.abs(minus.x) + Math.abs(minus.y) + minus.hw + minus.hh + C) : 0;
  const y0 = Math.max(Math.floor((plus.y - plus.hh - eps) * inv), ix.oy);
  const y1 = Math.min(Math.floor((plus.y + plus.hh + eps) * inv), ix.oy + ix.h - 1);
  const gx0 = ix.ox, gx1 = ix.ox + w - 1;
  for (let cy = y0; cy <= y1; cy++) {
    const bandLo = cy * C - eps, bandHi = (cy + 1) * C + eps;
    let half = plus.hw;
    if (!plus.rect) {
      const dy = plus.y < bandLo ? bandLo - plus.y : plus.y > bandHi ? plus.y - bandHi : 0;
      const d2 = plus.r2 - dy * dy;
      half = d2 > 0 ? Math.sqrt(d2) : 0;
    }
    const x0 = Math.max(Math.floor((plus.x - half - eps) * inv), gx0);
    const x1 = Math.min(Math.floor((plus.x + half + eps) * inv), gx1);
    if (x0 > x1) continue;
    // Cells wholly inside `minus` on this band: [m0, m1].
    let m0 = 1, m1 = 0;
    if (minus) {
      let lo = 1, hi = 0;
      if (minus.rect) {
        if (bandLo - epsM >= minus.y - minus.hh && bandHi + epsM <= minus.y + minus.hh) { lo = minus.x - minus.hw + epsM; hi = minus.x + minus.hw - epsM; }
      } else {
        const dy = Math.max(Math.abs(bandLo - minus.y), Math.abs(bandHi - minus.y)) + epsM;
        const d2 = minus.r2 - dy * dy;
        if (d2 > 0) { const h = Math.sqrt(d2) - epsM; lo = minus.x - h; hi = minus.x + h; }
      }
      if (lo <= hi) { m0 = Math.ceil(lo * inv); m1 = Math.floor(hi * inv) - 1; }
    }
    const row = (cy - ix.oy) * w - gx0;
    if (m0 > m1 || m1 < x0 || m0 > x1) out.push(start[row + x0]!, start[row + x1 + 1]!);
    else {
      const a = Math.max(m0, x0), b = Math.min(m1, x1);
      out.push(start[row + x0]!, start[row + a]!); // cells x0 .. a-1
      out.push(start[row + b + 1]!, start[row + x1 + 1]!); // cells b+1 .. x1
    }
  }
  out.push(ix.overflowStart, ix.n);
}
