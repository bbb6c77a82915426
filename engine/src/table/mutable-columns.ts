// Direct column writes for data-oriented systems (`mutableColumn()`): a column is handed out for
// plain typed-array writes; at flush the table compares it with a copy taken when handed out and
// records exactly what setCell would have — undo, hash, change mask, tick-start value, spatial move —
// for the changed rows only. At commit no undo is needed: the copy was the undo.
import type { TableStore } from './table-store.ts';
import { allocPlain, type ColumnArray } from './typed-columns.ts';
import { OP_SET, undoCode } from './undo-log.ts';
import { W_INT, W_F32, COL_ODD1, COL_ODD2, f32Word, slotKey, laneLo, laneHi } from './table-hash.ts';
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
    const n = t.count;
    t.tick.reserve(n); // a row gets at most one entry: the loops fill them inline
    if (!logUndo && t.spatial !== null && open === ((1 << t.spX) | (1 << t.spY)) && t.hash.words[t.spX] === W_F32 && t.hash.words[t.spY] === W_F32) {
      // The common system: f32 positions of many rows rewritten. Both columns and the index in one pass.
      recordPositions(t, t.spX, this.saved[t.spX]!, t.spY, this.saved[t.spY]!, n);
      return;
    }
    let spatialMoved = false;
    // Column by column, each in its own small function: a once-per-tick function holding a 100k-row
    // loop and rarely taken branches ran mostly unoptimized (V8 deoptimized it every tick).
    for (let c = 0; c < t.ncols; c++) {
      if ((open & (1 << c)) === 0) continue;
      const moved = (t.flags[c]! & F_SPATIAL) !== 0 ? this.moved : null;
      const any = logUndo ? recordLogged(t, c, this.saved[c]!, n, moved) : record(t, c, this.saved[c]!, n, moved);
      if (any && moved) spatialMoved = true;
    }
    t.db.markResolved(); // the records just logged were applied to the entries as they went
    // One index update per moved row, after all its columns are final.
    if (!spatialMoved) return;
    const words = (n + 31) >> 5, moved = this.moved;
    for (let w = 0; w < words; w++) {
      let bits = moved[w]!;
      if (bits === 0) continue;
      moved[w] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        t.spatial!.move((w << 5) + 31 - Math.clz32(low));
        bits ^= low;
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

/** Column `c`'s changed rows into the tick entries (and `moved` bits) and the world hash: the
 * commit-time path. */
function record(t: TableStore, c: number, before: ColumnArray, n: number, moved: Int32Array | null): boolean {
  const ts = t.tick, col = t.cols[c]!, ins = t.inserted;
  const entry = ts.entry, eslot = ts.slot, emask = ts.mask, vals = ts.vals, cOff = c * ts.cap, base1 = ts.base + 1, bit = 1 << c;
  const hash = t.hash, int = hash.words[c] === W_INT, salt = hash.salt;
  let count = ts.count, any = false, lo = 0, hi = 0;
  for (let slot = 0; slot < n; slot++) {
    const old = before[slot]!, now = col[slot]!;
    if (old === now && (old !== 0 || 1 / old === 1 / now)) continue; // NaN never equals itself: counted as changed
    let e = entry[slot]! - base1;
    if (e < 0) { e = count++; entry[slot] = base1 + e; eslot[e] = slot; emask[e] = 0; }
    const m = emask[e]!;
    if ((m & (bit | ins)) === 0) vals[cOff + e] = old; // rows inserted this tick have no tick-start values
    emask[e] = m | bit;
    any = true;
    if (moved !== null) moved[slot >> 5]! |= 1 << (slot & 31);
    const dLo = int ? ((now | 0) - (old | 0)) | 0 : (hash.lo(c, now) - hash.lo(c, old)) | 0;
    const dHi = int ? 0 : (hash.hi(c, now) - hash.hi(c, old)) | 0;
    const key = slotKey(slot, salt);
    lo = (lo + laneLo(key, c, dLo, dHi)) | 0;
    hi = (hi + laneHi(key, c, dLo, dHi)) | 0;
  }
  ts.count = count;
  t.db.hashLo = (t.db.hashLo + lo) | 0;
  t.db.hashHi = (t.db.hashHi + hi) | 0;
  return any;
}

/** record() for the two f32 position columns at once, moving each changed row in the spatial index
 * as it goes: one pass over the rows and their entries instead of three. */
function recordPositions(t: TableStore, cx: number, bx: ColumnArray, cy: number, by: ColumnArray, n: number): void {
  const ts = t.tick, x = t.cols[cx]!, y = t.cols[cy]!, ins = t.inserted, sp = t.spatial!;
  const entry = ts.entry, eslot = ts.slot, emask = ts.mask, vals = ts.vals, xOff = cx * ts.cap, yOff = cy * ts.cap, base1 = ts.base + 1;
  const bitX = 1 << cx, bitY = 1 << cy;
  const salt = t.hash.salt;
  const px = COL_ODD1[cx]!, qx = COL_ODD2[cx]!, py = COL_ODD1[cy]!, qy = COL_ODD2[cy]!;
  let count = ts.count, lo = 0, hi = 0;
  for (let slot = 0; slot < n; slot++) {
    const ox = bx[slot]!, nx = x[slot]!, oy = by[slot]!, ny = y[slot]!;
    // NaN never equals itself: counted as changed; -0 and 0 differ (1 / v tells them apart).
    const chX = !(ox === nx && (ox !== 0 || 1 / ox === 1 / nx));
    const chY = !(oy === ny && (oy !== 0 || 1 / oy === 1 / ny));
    if (!chX && !chY) continue;
    let e = entry[slot]! - base1;
    if (e < 0) { e = count++; entry[slot] = base1 + e; eslot[e] = slot; emask[e] = 0; }
    let m = emask[e]!;
    if (chX) { if ((m & (bitX | ins)) === 0) vals[xOff + e] = ox; m |= bitX; }
    if (chY) { if ((m & (bitY | ins)) === 0) vals[yOff + e] = oy; m |= bitY; }
    emask[e] = m;
    // laneLo / laneHi of both cells with the row's key factored out (imul is multiplication mod 2^32):
    // an unchanged cell has equal bits, so its difference is 0.
    const dx = (f32Word(nx) - f32Word(ox)) | 0, dy = (f32Word(ny) - f32Word(oy)) | 0, key = slotKey(slot, salt);
    lo = (lo + Math.imul(key | 1, (Math.imul(px, dx) + Math.imul(py, dy)) | 0)) | 0;
    hi = (hi + Math.imul((key >>> 7) | 1, (Math.imul(qx, dx) + Math.imul(qy, dy)) | 0)) | 0;
    sp.moveFrom(slot, ox, oy, nx, ny); // the index skips rows that stayed in their cell without touching memory
  }
  ts.count = count;
  t.db.hashLo = (t.db.hashLo + lo) | 0;
  t.db.hashHi = (t.db.hashHi + hi) | 0;
}

/** The same with an undo entry per changed row (a flush before the transaction ends). */
function recordLogged(t: TableStore, c: number, before: ColumnArray, n: number, moved: Int32Array | null): boolean {
  const u = t.db.undo, ts = t.tick, col = t.cols[c]!, bit = 1 << c;
  let any = false;
  for (let slot = 0; slot < n; slot++) {
    const old = before[slot]!, now = col[slot]!;
    if (old === now && (old !== 0 || 1 / old === 1 / now)) continue;
    let e = ts.indexOf(slot);
    if (e < 0) e = ts.add(slot);
    const m = ts.mask[e]!;
    if (u.length === u.cap) u.grow();
    const i = u.length++;
    u.code[i] = undoCode(OP_SET, t.index, c); u.slot[i] = slot; u.old[i] = old; u.oldMask[i] = m;
    if ((m & (bit | t.inserted)) === 0) ts.vals[c * ts.cap + e] = old;
    ts.mask[e] = m | bit;
    t.hash.cell(slot, c, old, now);
    any = true;
    if (moved !== null) moved[slot >> 5]! |= 1 << (slot & 31);
  }
  return any;
}
