// The rows of a spatial table by grid cell, for area placement and re-anchoring scans, in two parts
// so a tick never re-sorts every row: `static` holds all rows as of its last rebuild (entries of
// rows that moved or died since are stale: scans skip them when inDyn[rid] or !alive[rid]);
// `dynamic` holds the rows that moved or arrived since, rebuilt in the ticks they change. The static
// part is rebuilt only when a quarter of it is stale, so per tick the cost follows the movers.
import { CellIndex } from './cell-index.ts';
import type { RowRegistry } from './row-registry.ts';

const NO_EXTRAS: readonly Float64Array[] = [];

export class RowIndex {
  readonly static: CellIndex;
  readonly dynamic: CellIndex;
  inDyn: Uint8Array = new Uint8Array(64);
  private dynIds: Int32Array = new Int32Array(64);
  private dynN = 0;
  private dynDirty = false;
  private stale = -1; // -1: the static part was never built
  private liveIds: Int32Array = new Int32Array(64);

  constructor(cellSize: number) {
    this.static = new CellIndex(cellSize, 0);
    this.dynamic = new CellIndex(cellSize, 0);
  }

  /** Forget everything: the next prepare() rebuilds from the registry. */
  reset(): void {
    this.stale = -1;
  }

  /** A row moved or arrived: it lives in the dynamic part until the next static rebuild. */
  moved(rid: number): void {
    this.dynDirty = true;
    if (rid >= this.inDyn.length) {
      const g = new Uint8Array(Math.max(rid + 1, this.inDyn.length * 2));
      g.set(this.inDyn);
      this.inDyn = g;
    }
    if (this.inDyn[rid]) return;
    this.inDyn[rid] = 1;
    if (this.dynN === this.dynIds.length) {
      const g = new Int32Array(this.dynIds.length * 2);
      g.set(this.dynIds);
      this.dynIds = g;
    }
    this.dynIds[this.dynN++] = rid;
    this.stale++;
  }

  /** A row died: its entries are stale (the registry's alive flag tells scans). */
  died(): void {
    this.stale++;
    this.dynDirty = true;
  }

  /** Brings both parts up to the registry's positions (the published ones, after the change-set pass). */
  prepare(reg: RowRegistry): void {
    if (this.stale < 0 || this.stale * 4 > reg.size) {
      const [ids, n] = reg.liveIds(this.liveIds);
      this.liveIds = ids;
      this.static.build(ids, n, reg.px, reg.py, NO_EXTRAS);
      this.inDyn.fill(0);
      this.dynN = 0;
      this.stale = 0;
      this.dynDirty = true;
    }
    if (!this.dynDirty) return;
    this.dynDirty = false;
    // Drop rows that died since (their rid may be reused, and will then be marked again).
    const d = this.dynIds, alive = reg.alive;
    let k = 0;
    for (let i = 0; i < this.dynN; i++) {
      const rid = d[i]!;
      if (alive[rid]) d[k++] = rid;
      else this.inDyn[rid] = 0;
    }
    this.dynN = k;
    this.dynamic.build(d, k, reg.px, reg.py, NO_EXTRAS);
  }
}
