// The one interface every spatial strategy (uniform grid, R-tree) implements, plus the reusable id
// list queries append to. Positions stay in the table's own columns; an index only reads them.

import { WorldlineError } from '../../errors/index.ts';

/** The table's x/y columns (Float32Array, Float64Array, ...). Re-bound when the table regrows them. */
export interface PointColumns {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/**
 * A growable list of row slots that queries append to. Reuse one per call site and `clear()` it
 * between queries, so a query allocates nothing once the list has reached its working size.
 */
export class IdList {
  ids: Int32Array;
  length = 0;

  constructor(initialCapacity = 64) {
    this.ids = new Int32Array(Math.max(4, initialCapacity | 0));
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  clear(): void {
    this.length = 0;
  }

  /** Room for `k` more ids (write ids[length..] directly, then set length). */
  reserve(k: number): void {
    if (this.length + k <= this.ids.length) return;
    let cap = this.ids.length * 2;
    while (cap < this.length + k) cap *= 2;
    const grown = new Int32Array(cap);
    grown.set(this.ids.subarray(0, this.length));
    this.ids = grown;
  }

  /** A copy of the current contents (for tests and tooling, not hot paths). */
  toArray(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}

/**
 * A point index over dense row slots. Ids are non-negative integers below the table's capacity.
 *
 * Call order the index relies on: a row's x/y are written to the columns before `insert`/`move`
 * for it, and no query runs between such a write and its `move`. Queries return every live id
 * whose column position matches, in no particular order; NaN positions never match.
 */
export interface SpatialIndex {
  /** Called at creation and whenever the table regrows its columns. */
  bind(cols: PointColumns): void;
  /** Adds row `id`; its position is already in the columns. */
  insert(id: number): void;
  /** The row's x/y columns changed (called after the write). */
  move(id: number): void;
  /** move() for a row known to have been at (oldX, oldY), which the index reflects, and to be at
   * (newX, newY) now (its columns' values, passed in because the caller has them at hand): lets an
   * index skip the row when the move cannot matter to it (the grid: same cell), with no memory access. */
  moveFrom(id: number, oldX: number, oldY: number, newX: number, newY: number): void;
  remove(id: number): void;
  /** Dense swap-remove: the row at slot `from` now lives at slot `to` (`to` was just removed). */
  relabel(from: number, to: number): void;
  /** Appends ids with minX <= x <= maxX and minY <= y <= maxY. */
  queryRect(minX: number, minY: number, maxX: number, maxY: number, out: IdList): void;
  /** Appends ids with dx*dx + dy*dy <= r*r (dx = x - cx, computed in doubles). */
  queryRadius(cx: number, cy: number, r: number, out: IdList): void;
  clear(): void;
  readonly size: number;
  /** Bytes held by the index's own storage (for the memory-per-row benchmark). */
  memoryBytes(): number;
}

export type SpatialIndexKind = 'grid' | 'rtree';

/** Options every strategy accepts. */
export interface BaseIndexOptions {
  /** Columns to bind at creation (otherwise call `bind` before the first insert). */
  columns?: PointColumns;
  /** Initial number of id slots; grows by doubling as larger ids arrive. */
  initialCapacity?: number;
}

/** Placeholder binding so an index is never in an undefined state before `bind`. */
export const UNBOUND_COLUMNS: PointColumns = { x: new Float64Array(0), y: new Float64Array(0) };

/**
 * Extra reach for the radius query's bounding box: `cx - r` is rounded, and the distance test is
 * rounded too, so a point on the circle could sit a few ulps outside the rounded box. Widening the
 * box by far more than that keeps the box a pure prefilter; the distance test alone decides.
 */
export function radiusSlack(cx: number, cy: number, r: number): number {
  return (Math.abs(cx) + Math.abs(cy) + r) * 1e-12;
}

/** An engine bug (not a user mistake): the table called the index out of contract. */
export function misuse(message: string): WorldlineError {
  return new WorldlineError('INTERNAL', `spatial index: ${message}`);
}

export function checkId(id: number): void {
  if (!(id >= 0) || id !== (id | 0)) throw misuse(`row slot ${id} is not a non-negative 32-bit integer`);
}
