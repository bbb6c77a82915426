// The rows of each cell by their index in the cell (the low part of their wire handle). Indexes freed
// in a tick are reused only after it, so a handle names one row per frame; per-cell arrays are made
// when a row first enters the cell and grow by doubling.

const EMPTY = new Int32Array(0);

export class CellMembers {
  /** Per cell: rid by index, -1 where free. */
  private readonly rows: Int32Array[];
  /** Per cell: one past the highest index used. */
  readonly hwm: Int32Array;
  private readonly free: (number[] | null)[];
  private pending: number[] = [];

  constructor(cells: number, private readonly perCell: number) {
    this.rows = new Array<Int32Array>(cells).fill(EMPTY);
    this.hwm = new Int32Array(cells);
    this.free = new Array<number[] | null>(cells).fill(null);
  }

  /** The cell's rid array (valid up to hwm[cell]; -1 entries are free). */
  of(cell: number): Int32Array {
    return this.rows[cell]!;
  }

  /** Gives `rid` an index in `cell`, or -1 when the cell is full. */
  add(cell: number, rid: number): number {
    const f = this.free[cell];
    let i: number;
    if (f && f.length > 0) i = f.pop()!;
    else {
      i = this.hwm[cell]!;
      if (i >= this.perCell) return -1;
      this.hwm[cell] = i + 1;
      const a = this.rows[cell]!;
      if (i >= a.length) {
        const g = new Int32Array(Math.min(this.perCell, Math.max(8, a.length * 2)));
        g.set(a);
        g.fill(-1, a.length);
        this.rows[cell] = g;
      }
    }
    this.rows[cell]![i] = rid;
    return i;
  }

  /** Rows in the cell now. */
  count(cell: number): number {
    const a = this.rows[cell]!, n = this.hwm[cell]!;
    let k = 0;
    for (let i = 0; i < n; i++) if (a[i]! >= 0) k++;
    return k;
  }

  /** Frees the index at the end of the tick. */
  remove(cell: number, i: number): void {
    this.rows[cell]![i] = -1;
    this.pending.push(cell, i);
  }

  endTick(): void {
    const p = this.pending;
    for (let k = 0; k < p.length; k += 2) {
      const cell = p[k]!;
      (this.free[cell] ??= []).push(p[k + 1]!);
    }
    p.length = 0;
  }

  clear(): void {
    this.rows.fill(EMPTY);
    this.hwm.fill(0);
    this.free.fill(null);
    this.pending.length = 0;
  }
}
