// One client's area on a cell-interest table: its shape, anchor and the followed row, and two
// windows of cells — what the client held after its last delta (`prev`) and what it holds after this
// tick's (`cur`). The delta is the difference: blocks of cells in both, whole cells entering, and
// cleared cells leaving. Nothing here is per row.
import type { AreaShape, FollowTarget } from '../area-set.ts';
import type { Client } from '../client.ts';
import type { CellTableDelta, CellTickData } from '../types.ts';
import { type CellGrid, windowBuffer, clearWindow } from './cell-grid.ts';

export class CellArea implements CellTableDelta {
  readonly prevBuf: Int32Array;
  readonly cur: Int32Array;
  /** The window is built around the anchor, which moves only when the centre drifts beyond margin. */
  ax = 0;
  ay = 0;
  shape!: AreaShape;
  follow: FollowTarget | null = null;
  /** Where the followed row was last found (checked before use). */
  followSlot = -1;
  /** False when the client holds nothing of this table (new area, after a resync). */
  hasPrev = false;
  /** The window changed since the last delta. */
  changed = false;
  /** Position in the owner's dense list. */
  index = 0;
  /** Cleared by the client: deliver the leaving cells once, then forget the area. */
  dying = false;

  constructor(readonly client: Client, readonly tableIndex: number, readonly data: CellTickData, grid: CellGrid) {
    this.prevBuf = windowBuffer(grid);
    this.cur = windowBuffer(grid);
    clearWindow(this.prevBuf);
    clearWindow(this.cur);
  }

  get prev(): Int32Array | null {
    return this.hasPrev ? this.prevBuf : null;
  }

  /** After delivery: the client now holds `cur`. */
  delivered(): void {
    if (this.changed || !this.hasPrev) this.prevBuf.set(this.cur);
    this.hasPrev = true;
    this.changed = false;
  }
}
