// Uniform grid with hashed cells: each id keeps its cell and intrusive doubly-linked list links in
// Int32Arrays, so move / remove / relabel are O(1) and a point moving inside its cell costs one compare.
// Hashing the cells means no world bounds to configure and memory only for occupied cells.

import { WorldlineError } from '../../errors/index.ts';
import { ABSENT, CellTable, cellCoord, nextPow2, STRIDE } from './cell-table.ts';
import {
  checkId, misuse, radiusSlack, UNBOUND_COLUMNS,
  type BaseIndexOptions, type IdList, type PointColumns, type SpatialIndex,
} from './spatial-index.ts';

export interface GridIndexOptions extends BaseIndexOptions {
  /** Side of a square cell in world units (default 32). About the typical query radius works well. */
  cellSize?: number;
}

export class GridIndex implements SpatialIndex {
  private xs: ArrayLike<number>;
  private ys: ArrayLike<number>;
  private readonly inv: number;
  private table = new CellTable(16);
  /** Per id: base offset of its cell in `table.cells`, or ABSENT for a free slot. */
  private cellAt: Int32Array;
  private next: Int32Array;
  private prev: Int32Array;
  private count = 0;

  constructor(opts: GridIndexOptions = {}) {
    const cellSize = opts.cellSize ?? 32;
    if (!(cellSize > 0) || !Number.isFinite(cellSize)) {
      throw new WorldlineError('SCHEMA', `grid spatial index: cellSize must be a positive finite number of world units (got ${cellSize}); pick roughly your typical query radius`);
    }
    this.inv = 1 / cellSize;
    const cap = Math.max(16, opts.initialCapacity ?? 1024);
    this.cellAt = new Int32Array(cap).fill(ABSENT);
    this.next = new Int32Array(cap);
    this.prev = new Int32Array(cap);
    const cols = opts.columns ?? UNBOUND_COLUMNS;
    this.xs = cols.x;
    this.ys = cols.y;
  }

  get size(): number {
    return this.count;
  }

  bind(cols: PointColumns): void {
    this.xs = cols.x;
    this.ys = cols.y;
  }

  insert(id: number): void {
    checkId(id);
    if (id >= this.cellAt.length) this.growIds(id + 1);
    if (this.cellAt[id] !== ABSENT) throw misuse(`insert of row slot ${id}, which is already indexed`);
    this.count++;
    this.link(id, this.cellFor(cellCoord(this.xs[id], this.inv), cellCoord(this.ys[id], this.inv)));
  }

  move(id: number): void {
    const b = id < this.cellAt.length ? this.cellAt[id] : ABSENT;
    if (b === ABSENT) throw misuse(`move of row slot ${id}, which is not indexed`);
    const cx = cellCoord(this.xs[id], this.inv), cy = cellCoord(this.ys[id], this.inv);
    const cells = this.table.cells;
    if (cells[b] === cx && cells[b + 1] === cy) return;
    this.unlink(id, b);
    this.link(id, this.cellFor(cx, cy));
  }

  moveFrom(id: number, oldX: number, oldY: number, newX: number, newY: number): void {
    const inv = this.inv;
    if (cellCoord(oldX, inv) === cellCoord(newX, inv) && cellCoord(oldY, inv) === cellCoord(newY, inv)) return;
    this.move(id);
  }

  remove(id: number): void {
    const b = id >= 0 && id < this.cellAt.length ? this.cellAt[id] : ABSENT;
    if (b === ABSENT) throw misuse(`remove of row slot ${id}, which is not indexed`);
    this.unlink(id, b);
    this.cellAt[id] = ABSENT;
    this.count--;
  }

  relabel(from: number, to: number): void {
    checkId(to);
    const b = from >= 0 && from < this.cellAt.length ? this.cellAt[from] : ABSENT;
    if (b === ABSENT) throw misuse(`relabel from row slot ${from}, which is not indexed`);
    if (to >= this.cellAt.length) this.growIds(to + 1);
    if (this.cellAt[to] !== ABSENT) throw misuse(`relabel onto row slot ${to}, which is still indexed`);
    const p = this.prev[from], n = this.next[from];
    this.cellAt[to] = b;
    this.prev[to] = p;
    this.next[to] = n;
    if (p === ABSENT) this.table.cells[b + 2] = to;
    else this.next[p] = to;
    if (n !== ABSENT) this.prev[n] = to;
    this.cellAt[from] = ABSENT;
  }

  queryRect(minX: number, minY: number, maxX: number, maxY: number, out: IdList): void {
    if (!(minX <= maxX && minY <= maxY) || this.count === 0) return;
    const inv = this.inv, table = this.table, cells = table.cells;
    const c0 = cellCoord(minX, inv), c1 = cellCoord(maxX, inv), r0 = cellCoord(minY, inv), r1 = cellCoord(maxY, inv);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) <= table.capacity) {
      for (let cy = r0; cy <= r1; cy++) {
        for (let cx = c0; cx <= c1; cx++) {
          const b = table.find(cx, cy);
          if (b !== ABSENT) this.collectRect(cells[b + 2], minX, minY, maxX, maxY, out);
        }
      }
    } else {
      // A range wider than the table: walking the occupied cells is cheaper than probing each one.
      for (let b = 0; b < cells.length; b += STRIDE) {
        const cx = cells[b], cy = cells[b + 1];
        if (cx >= c0 && cx <= c1 && cy >= r0 && cy <= r1) this.collectRect(cells[b + 2], minX, minY, maxX, maxY, out);
      }
    }
  }

  queryRadius(x: number, y: number, r: number, out: IdList): void {
    if (!(r >= 0) || this.count === 0) return;
    const inv = this.inv, table = this.table, cells = table.cells;
    const reach = r + radiusSlack(x, y, r), r2 = r * r;
    const c0 = cellCoord(x - reach, inv), c1 = cellCoord(x + reach, inv);
    const r0 = cellCoord(y - reach, inv), r1 = cellCoord(y + reach, inv);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) <= table.capacity) {
      for (let cy = r0; cy <= r1; cy++) {
        for (let cx = c0; cx <= c1; cx++) {
          const b = table.find(cx, cy);
          if (b !== ABSENT) this.collectRadius(cells[b + 2], x, y, r2, out);
        }
      }
    } else {
      for (let b = 0; b < cells.length; b += STRIDE) {
        const cx = cells[b], cy = cells[b + 1];
        if (cx >= c0 && cx <= c1 && cy >= r0 && cy <= r1) this.collectRadius(cells[b + 2], x, y, r2, out);
      }
    }
  }

  clear(): void {
    this.cellAt.fill(ABSENT);
    this.table = new CellTable(16);
    this.count = 0;
  }

  memoryBytes(): number {
    return this.table.cells.byteLength + this.cellAt.byteLength + this.next.byteLength + this.prev.byteLength;
  }

  private collectRect(head: number, minX: number, minY: number, maxX: number, maxY: number, out: IdList): void {
    const xs = this.xs, ys = this.ys, next = this.next;
    for (let id = head; id !== ABSENT; id = next[id]) {
      const x = xs[id], y = ys[id];
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) out.push(id);
    }
  }

  private collectRadius(head: number, cx: number, cy: number, r2: number, out: IdList): void {
    const xs = this.xs, ys = this.ys, next = this.next;
    for (let id = head; id !== ABSENT; id = next[id]) {
      const dx = xs[id] - cx, dy = ys[id] - cy;
      if (dx * dx + dy * dy <= r2) out.push(id);
    }
  }

  /** Base offset of cell (cx, cy), rebuilding the table first if a new cell would overfill it. */
  private cellFor(cx: number, cy: number): number {
    const b = this.table.find(cx, cy);
    if (b !== ABSENT) return b;
    if ((this.table.used + 1) * 2 > this.table.capacity) this.rehash();
    return this.table.add(cx, cy);
  }

  /**
   * New table holding only non-empty cells. Sizing it by the id count as well as the cell count
   * keeps the O(ids) re-walk amortized when points keep wandering into fresh cells.
   */
  private rehash(): void {
    const old = this.table.cells;
    let live = 0;
    for (let b = 0; b < old.length; b += STRIDE) if (old[b + 2] !== ABSENT) live++;
    const table = new CellTable(nextPow2(Math.max(4 * (live + 1), this.count >> 3)));
    const cells = table.cells;
    for (let b = 0; b < old.length; b += STRIDE) {
      const head = old[b + 2];
      if (head === ABSENT) continue;
      const nb = table.add(old[b], old[b + 1]);
      cells[nb + 2] = head;
      for (let id = head; id !== ABSENT; id = this.next[id]) this.cellAt[id] = nb;
    }
    this.table = table;
  }

  private link(id: number, b: number): void {
    const cells = this.table.cells, head = cells[b + 2];
    this.cellAt[id] = b;
    this.prev[id] = ABSENT;
    this.next[id] = head;
    if (head !== ABSENT) this.prev[head] = id;
    cells[b + 2] = id;
  }

  private unlink(id: number, b: number): void {
    const p = this.prev[id], n = this.next[id];
    if (p === ABSENT) this.table.cells[b + 2] = n;
    else this.next[p] = n;
    if (n !== ABSENT) this.prev[n] = p;
  }

  private growIds(min: number): void {
    let cap = this.cellAt.length;
    while (cap < min) cap *= 2;
    const cellAt = new Int32Array(cap).fill(ABSENT);
    cellAt.set(this.cellAt);
    const next = new Int32Array(cap);
    next.set(this.next);
    const prev = new Int32Array(cap);
    prev.set(this.prev);
    this.cellAt = cellAt;
    this.next = next;
    this.prev = prev;
  }
}
