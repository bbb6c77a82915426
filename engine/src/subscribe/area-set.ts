// The areas of interest on one spatial table, by view index. Each area has an anchor: rows enter
// inside radius r + margin/4 of it and leave beyond r + 3·margin/4, and it is re-anchored only when
// its centre drifts more than margin/4 away. So a row within r of the centre is always held and a
// held row is never beyond r + margin — with margin/2 of hysteresis, and no work for an area whose
// avatar barely moved. Geometry is packed 8 numbers per area (one cache line); anchors are indexed
// by cell (rebuilt when they moved), so a changed row finds the areas that may contain it by
// scanning a few contiguous runs of nearby anchors.
import { CellIndex } from './cell-index.ts';
import type { TableStore } from '../table/table-store.ts';

export interface AreaShape {
  /** Circle radius (rect: 0). */
  readonly radius: number;
  /** Rect half extents (circle: 0). */
  readonly halfWidth: number;
  readonly halfHeight: number;
  readonly margin: number;
}

export interface FollowTarget {
  readonly store: TableStore;
  readonly pk: unknown;
  readonly xCol: number;
  readonly yCol: number;
}

/** Offsets in the packed geometry (stride 8). Circles use the squared radii, rects the half extents. */
export const G_AX = 0, G_AY = 1, G_IN2 = 2, G_OUT2 = 3, G_INW = 4, G_INH = 5, G_OUTW = 6, G_OUTH = 7;

export class AreaSet {
  cap = 0;
  active: Uint8Array = new Uint8Array(0);
  rect: Uint8Array = new Uint8Array(0);
  geo: Float64Array = new Float64Array(0);
  cx: Float64Array = new Float64Array(0);
  cy: Float64Array = new Float64Array(0);
  slack: Float64Array = new Float64Array(0);
  /** Radius of the circle around the anchor that holds the enter region. */
  reach: Float64Array = new Float64Array(0);
  /** Radius of the circle around the anchor that holds the leave region. */
  outReach: Float64Array = new Float64Array(0);
  /** Largest reach (enter) and outReach (leave) of any area: how far from a changed row anchors are scanned. */
  maxReach = 0;
  maxOutReach = 0;
  /** Smallest radius of a circle around the anchor inside every area's enter region. */
  minInner = Infinity;
  private reachDirty = false;
  readonly follow: (FollowTarget | null)[] = [];
  /** Views whose area follows a row (checked every publish). */
  readonly followers: number[] = [];
  private followerPos: Int32Array = new Int32Array(0);
  count = 0;
  /** Anchors by cell: entries [ax, ay, area, reach², outReach², rect]. */
  readonly anchors: CellIndex;
  private anchorsDirty = true;
  private ax: Float64Array = new Float64Array(0);
  private ay: Float64Array = new Float64Array(0);
  private reach2: Float64Array = new Float64Array(0);
  private out2: Float64Array = new Float64Array(0);
  private rectF: Float64Array = new Float64Array(0);
  private ids: Int32Array = new Int32Array(0);

  constructor(cellSize: number) {
    this.anchors = new CellIndex(cellSize, 3);
    this.growTo(64);
  }

  /** The anchor index, rebuilt first if anchors changed since it was built. */
  anchorIndex(): CellIndex {
    if (this.anchorsDirty) {
      this.anchorsDirty = false;
      let n = 0;
      for (let a = 0; a < this.cap; a++) if (this.active[a]) this.ids[n++] = a;
      this.anchors.build(this.ids, n, this.ax, this.ay, [this.reach2, this.out2, this.rectF]);
    }
    return this.anchors;
  }

  ensure(index: number): void {
    if (index >= this.cap) {
      let n = this.cap;
      while (n <= index) n *= 2;
      this.growTo(n);
    }
  }

  /** Creates or reshapes area `a` with its anchor at (x, y). */
  set(a: number, shape: AreaShape, x: number, y: number, follow: FollowTarget | null): void {
    this.ensure(a);
    const s = shape.margin / 4, g = this.geo, o = a * 8;
    const isRect = shape.radius === 0 ? 1 : 0;
    this.rect[a] = isRect;
    this.slack[a] = s;
    if (isRect) {
      g[o + G_INW] = shape.halfWidth + s; g[o + G_INH] = shape.halfHeight + s;
      g[o + G_OUTW] = shape.halfWidth + 3 * s; g[o + G_OUTH] = shape.halfHeight + 3 * s;
      this.reach[a] = Math.hypot(g[o + G_INW]!, g[o + G_INH]!);
      this.outReach[a] = Math.hypot(g[o + G_OUTW]!, g[o + G_OUTH]!);
    } else {
      const rin = shape.radius + s, rout = shape.radius + 3 * s;
      g[o + G_IN2] = rin * rin; g[o + G_OUT2] = rout * rout;
      g[o + G_INW] = g[o + G_INH] = rin;
      g[o + G_OUTW] = g[o + G_OUTH] = rout;
      this.reach[a] = rin;
      this.outReach[a] = rout;
    }
    // Only growth can be applied in place; anything else recomputes the bounds before the next scan.
    this.reachDirty = true;
    const was = this.follow[a] != null;
    this.follow[a] = follow;
    if (follow && !was) this.addFollower(a);
    else if (!follow && was) this.removeFollower(a);
    this.cx[a] = x;
    this.cy[a] = y;
    this.moveAnchor(a, x, y);
  }

  moveAnchor(a: number, x: number, y: number): void {
    this.geo[a * 8 + G_AX] = x;
    this.geo[a * 8 + G_AY] = y;
    this.ax[a] = x;
    this.ay[a] = y;
    this.reach2[a] = this.reach[a]! * this.reach[a]!;
    this.out2[a] = this.outReach[a]! * this.outReach[a]!;
    this.rectF[a] = this.rect[a]!;
    if (!this.active[a]) { this.active[a] = 1; this.count++; }
    this.anchorsDirty = true;
  }

  remove(a: number): void {
    if (!this.active[a]) return;
    this.active[a] = 0;
    this.anchorsDirty = true;
    this.count--;
    if (this.follow[a]) this.removeFollower(a);
    this.follow[a] = null;
    this.reachDirty = true;
  }

  /** Brings maxReach / maxOutReach up to date (after areas shrank or went away). */
  refreshReach(): void {
    if (!this.reachDirty) return;
    this.reachDirty = false;
    let m = 0, mo = 0, mi = Infinity;
    const g = this.geo;
    for (let a = 0; a < this.cap; a++) {
      if (!this.active[a]) continue;
      if (this.reach[a]! > m) m = this.reach[a]!;
      if (this.outReach[a]! > mo) mo = this.outReach[a]!;
      const inner = Math.min(g[a * 8 + G_INW]!, g[a * 8 + G_INH]!);
      if (inner < mi) mi = inner;
    }
    this.maxReach = m;
    this.maxOutReach = mo;
    this.minInner = mi;
  }

  insideIn(a: number, x: number, y: number): boolean {
    const g = this.geo, o = a * 8;
    const dx = x - g[o + G_AX]!, dy = y - g[o + G_AY]!;
    if (this.rect[a]) return Math.abs(dx) <= g[o + G_INW]! && Math.abs(dy) <= g[o + G_INH]!;
    return dx * dx + dy * dy <= g[o + G_IN2]!;
  }

  insideOut(a: number, x: number, y: number): boolean {
    const g = this.geo, o = a * 8;
    const dx = x - g[o + G_AX]!, dy = y - g[o + G_AY]!;
    if (this.rect[a]) return Math.abs(dx) <= g[o + G_OUTW]! && Math.abs(dy) <= g[o + G_OUTH]!;
    return dx * dx + dy * dy <= g[o + G_OUT2]!;
  }

  /** The centre drifted far enough from the anchor to re-anchor. */
  drifted(a: number): boolean {
    const o = a * 8;
    const dx = this.cx[a]! - this.geo[o + G_AX]!, dy = this.cy[a]! - this.geo[o + G_AY]!, s = this.slack[a]!;
    if (this.rect[a]) return Math.abs(dx) > s || Math.abs(dy) > s;
    return dx * dx + dy * dy > s * s;
  }

  private addFollower(a: number): void {
    this.followerPos[a] = this.followers.length;
    this.followers.push(a);
  }

  private removeFollower(a: number): void {
    const i = this.followerPos[a]!, last = this.followers.pop()!;
    if (last !== a) { this.followers[i] = last; this.followerPos[last] = i; }
  }

  private growTo(n: number): void {
    const u8 = (a: Uint8Array) => { const g = new Uint8Array(n); g.set(a); return g; };
    const f64 = (a: Float64Array, k = 1) => { const g = new Float64Array(n * k); g.set(a); return g; };
    this.active = u8(this.active);
    this.rect = u8(this.rect);
    this.geo = f64(this.geo, 8);
    this.cx = f64(this.cx); this.cy = f64(this.cy);
    this.slack = f64(this.slack);
    this.reach = f64(this.reach);
    this.outReach = f64(this.outReach);
    this.ax = f64(this.ax); this.ay = f64(this.ay); this.reach2 = f64(this.reach2);
    this.out2 = f64(this.out2); this.rectF = f64(this.rectF);
    this.ids = new Int32Array(n);
    const fp = new Int32Array(n); fp.set(this.followerPos); this.followerPos = fp;
    for (let i = this.cap; i < n; i++) this.follow.push(null);
    this.cap = n;
  }
}
