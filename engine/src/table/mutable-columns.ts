// Direct column writes for data-oriented systems (`mutableColumn()`): a column is handed out for
// plain typed-array writes; at flush the table compares it with a copy taken when handed out and
// records exactly what setCell would have — undo, change mask, tick-start value, spatial move — for
// the changed rows only. At commit no undo is needed: the copy was the undo.
import type { TableStore } from './table-store.ts';
import { allocPlain, type ColumnArray } from './typed-columns.ts';
import { OP_SET } from './undo-log.ts';
import { WorldlineError } from '../errors/index.ts';
import { F_PK, F_UNIQUE, F_MULTI, F_POOL, F_SPATIAL } from './column-codes.ts';

export class MutableColumns {
  /** Columns handed out in the running transaction, a bit each. */
  openBits = 0;
  private readonly saved: (ColumnArray | null)[] = [];
  /** Bit per slot: rows whose spatial columns changed, moved in the index once at the end of flush. */
  private moved = new Int32Array(64);

  constructor(private readonly t: TableStore) {}

  /** Hands out column `c` for direct writes in this transaction. The table finds what changed by
   * comparing with a copy at flush (transaction end, or the table's next insert / delete / set) and
   * records exactly what setCell would have, for the changed rows only. */
  open(c: number): ColumnArray {
    this.t.assertWritable();
    const f = this.t.flags[c]!;
    if ((f & (F_PK | F_UNIQUE | F_MULTI | F_POOL)) !== 0) {
      throw new WorldlineError('SCHEMA', `${this.t.name}.${this.t.columns[c]!.name}: mutableColumn() is for numeric columns without a key or index; use set()`);
    }
    const bit = 1 << c;
    if ((this.openBits & bit) === 0) {
      let copy = this.saved[c];
      if (!copy || copy.length < this.t.count) copy = this.saved[c] = allocPlain(this.t.cols[c]!, this.t.capacity);
      copy.set(this.t.cols[c]!.subarray(0, this.t.count) as never);
      if (this.openBits === 0) this.t.db.mutables.push(this.t);
      if (this.moved.length * 32 < this.t.capacity) this.moved = new Int32Array((this.t.capacity + 31) >> 5);
      this.openBits |= bit;
    }
    return this.t.cols[c]!;
  }

  /** Records the direct writes to open columns as ordinary writes and closes them. At commit
   * (`logUndo` false) no undo entries are needed: nothing can roll the transaction back any more. */
  flush(logUndo = true): void {
    const open = this.openBits;
    this.openBits = 0;
    const t = this.t;
    t.db.resolve(); // earlier logged writes come first: they hold the true tick-start values
    const u = t.db.undo;
    const ts = t.tick;
    const n = t.count;
    let spatialMoved = false;
    // Column by column, so the inner loop runs over two arrays only.
    for (let c = 0; c < t.ncols; c++) {
      const bit = 1 << c;
      if ((open & bit) === 0) continue;
      const col = t.cols[c]!, before = this.saved[c]!;
      const spatial = (t.flags[c]! & F_SPATIAL) !== 0;
      for (let slot = 0; slot < n; slot++) {
        const old = before[slot]!, now = col[slot]!;
        if (old === now && (old !== 0 || 1 / old === 1 / now)) continue; // NaN never equals itself: counted as changed
        let e = ts.entry[slot]! - ts.base - 1;
        if (e < 0) e = ts.add(slot);
        const m = ts.mask[e]!;
        if (logUndo) {
          if (u.length === u.op.length) u.grow();
          const i = u.length++;
          u.op[i] = OP_SET; u.table[i] = t.index; u.slot[i] = slot; u.col[i] = c; u.old[i] = old; u.oldMask[i] = m;
        }
        // Rows inserted this tick have no tick-start values.
        if ((m & (bit | t.inserted)) === 0) ts.vals[e * t.ncols + c] = old;
        ts.mask[e] = m | bit;
        if (spatial) { this.moved[slot >> 5]! |= 1 << (slot & 31); spatialMoved = true; }
      }
    }
    t.db.markResolved(); // the records just logged were applied to the entries as they went
    if (spatialMoved) {
      // One index update per moved row, after all its columns are final.
      const words = (n + 31) >> 5;
      for (let w = 0; w < words; w++) {
        let bits = this.moved[w]!;
        if (bits === 0) continue;
        this.moved[w] = 0;
        while (bits !== 0) {
          const low = bits & -bits;
          t.spatial!.move((w << 5) + 31 - Math.clz32(low));
          bits ^= low;
        }
      }
    }
  }

  /** Rollback: open columns go back to their values when handed out (unlogged writes). */
  discard(): void {
    for (let c = 0; c < this.t.ncols; c++) {
      if ((this.openBits & (1 << c)) === 0) continue;
      this.t.cols[c]!.set(this.saved[c]!.subarray(0, this.t.count) as never);
    }
    this.openBits = 0;
  }
}
