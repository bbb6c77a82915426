// The world hash, per table. It is linear in cell values: each cell adds K1·lo + K2·hi (two 32-bit
// lanes), where lo/hi are the cell's raw bits and K1, K2 are odd multipliers from (table, column,
// slot). Since K is odd, any single-cell difference changes it; each row also adds a presence term,
// so all-zero rows count.
//
// Keyed by slot, not by primary key: every write moves the hash by K·(new − old) on the spot, with
// values and slot already in hand (no read of the key column, no pass at tick end), and a rollback
// moves it back. Slots are part of the state — they fix iteration order, so two worlds with the
// same rows in different slots can diverge on the next tick — and they are deterministic: replay
// re-executes the same writes, rollback restores slots exactly, and images keep them.
import type { ColumnKind } from '../schema/column.ts';
import type { TableStore } from './table-store.ts';
import { fmix32 } from './hash-mix.ts';

// How the hash reads a cell: integers as their 32-bit value, f32 as raw bits, f64 as two words,
// pool-backed values (strings, bytes) by content hash.
export const W_INT = 0, W_F32 = 1;
const W_F64 = 2, W_STR = 3, W_BLOB = 4;
export const COL_ODD1 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x27d4eb2f)) | 1);
export const COL_ODD2 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x165667b1)) | 1);
const scratchF64 = new Float64Array(1);
const scratchF64Bits = new Int32Array(scratchF64.buffer);
const scratchF32 = new Float32Array(1);
const scratchF32Bits = new Int32Array(scratchF32.buffer);

function wordKind(k: ColumnKind): number {
  switch (k) {
    case 'f32': return W_F32;
    case 'f64': return W_F64;
    case 'string': case 'identity': return W_STR;
    case 'bytes': return W_BLOB;
    default: return W_INT;
  }
}

export class TableHash {
  readonly words: Uint8Array;
  /** Mixed into every row key, so equal rows of different tables hash apart. */
  readonly salt: number;

  constructor(private readonly t: TableStore) {
    this.words = new Uint8Array(t.columns.map((c) => wordKind(c.kind)));
    this.salt = fmix32(Math.imul(t.index + 1, 0x85ebca77)) | 0;
  }

  /** Low hash word of a stored value of column `c` (raw bits for floats, content hash for pools). */
  lo(c: number, v: number): number {
    switch (this.words[c]) {
      case W_INT: return v | 0;
      case W_F32: return f32Word(v);
      case W_F64: scratchF64[0] = v; return scratchF64Bits[0]!;
      case W_STR: return this.t.db.strings.hashLo[v]!;
      default: return this.t.db.blobs.hashLo[v]!;
    }
  }
  hi(c: number, v: number): number {
    switch (this.words[c]) {
      case W_INT: case W_F32: return 0;
      case W_F64: scratchF64[0] = v; return scratchF64Bits[1]!;
      case W_STR: return this.t.db.strings.hashHi[v]!;
      default: return this.t.db.blobs.hashHi[v]!;
    }
  }

  /** A cell at `slot` goes from stored value `from` to `to` (a write, or its undo). */
  cell(slot: number, c: number, from: number, to: number): void {
    const key = slotKey(slot, this.salt), db = this.t.db;
    if (this.words[c] === W_INT) {
      // laneLo/laneHi with dHi = 0, spelled out: the integer write is the hot one, and calling
      // them with a literal 0 instead measured 11 % slower per transfer call (paired runs).
      const d = ((to | 0) - (from | 0)) | 0;
      db.hashLo = (db.hashLo + Math.imul(Math.imul(key | 1, COL_ODD1[c]!), d)) | 0;
      db.hashHi = (db.hashHi + Math.imul(Math.imul((key >>> 7) | 1, COL_ODD2[c]!), d)) | 0;
      return;
    }
    const dLo = (this.lo(c, to) - this.lo(c, from)) | 0;
    const dHi = (this.hi(c, to) - this.hi(c, from)) | 0;
    db.hashLo = (db.hashLo + laneLo(key, c, dLo, dHi)) | 0;
    db.hashHi = (db.hashHi + laneHi(key, c, dLo, dHi)) | 0;
  }

  /** Adds (sign 1) or removes (sign -1) the row at `slot` as it is now. */
  row(slot: number, sign: number): void {
    const t = this.t, db = t.db;
    const key = slotKey(slot, this.salt);
    let lo = (sign * fmix32(key ^ 0xa5a5a5a5)) | 0, hi = (sign * fmix32(key ^ 0x3c6ef372)) | 0;
    for (let c = 0; c < t.ncols; c++) {
      const v = t.cols[c]![slot]!;
      const wLo = (sign * this.lo(c, v)) | 0, wHi = (sign * this.hi(c, v)) | 0;
      lo = (lo + laneLo(key, c, wLo, wHi)) | 0;
      hi = (hi + laneHi(key, c, wLo, wHi)) | 0;
    }
    db.hashLo = (db.hashLo + lo) | 0;
    db.hashHi = (db.hashHi + hi) | 0;
  }

  /** The table's contribution computed from scratch (image import; tests check the running hash). */
  all(): [number, number] {
    const db = this.t.db, saveLo = db.hashLo, saveHi = db.hashHi;
    db.hashLo = 0; db.hashHi = 0;
    for (let slot = 0; slot < this.t.count; slot++) this.row(slot, 1);
    const r: [number, number] = [db.hashLo, db.hashHi];
    db.hashLo = saveLo; db.hashHi = saveHi;
    return r;
  }
}

/** The raw bits of an f32 value, as the column stores them. */
export function f32Word(v: number): number {
  scratchF32[0] = v;
  return scratchF32Bits[0]!;
}

/** The row key of `slot` in a table with `salt`, as an int32: a uint32 above 2^31 is no small
 * integer to V8, and optimized loops deoptimized on the first such key they met. */
export const slotKey = (slot: number, salt: number): number => fmix32(slot ^ salt) | 0;
/** A cell's term in the low and high lanes: (dLo, dHi) are the change of its two words. */
export const laneLo = (key: number, c: number, dLo: number, dHi: number): number =>
  (Math.imul(Math.imul(key | 1, COL_ODD1[c]!), dLo) + Math.imul(Math.imul((key >>> 7) | 1, COL_ODD2[c]!), dHi)) | 0;
export const laneHi = (key: number, c: number, dLo: number, dHi: number): number =>
  (Math.imul(Math.imul((key >>> 7) | 1, COL_ODD2[c]!), dLo) + Math.imul(Math.imul(key | 1, COL_ODD1[c]!), dHi)) | 0;
