// The world hash, per table. It is linear in cell values: each cell adds K1·lo + K2·hi (two 32-bit
// lanes), where lo/hi are the cell's raw bits and K1, K2 are odd multipliers from (table, column,
// pk). Writes do not touch it: at drain, each changed cell moves it by K·(now − tick start) and
// inserted / deleted rows add / remove their cells. Since K is odd, any single-cell difference
// changes it. Each row also adds a presence term, so all-zero rows count.
import type { ColumnKind } from '../schema/column.ts';
import type { TableStore } from './table-store.ts';
import { K_F32 } from './column-codes.ts';
import { fmix32 } from './hash-mix.ts';

// How the hash reads a cell: small ints as is, 4-byte values as raw bits, f64 as two words, pools by content hash.
const W_SMALL = 0, W_BITS = 1, W_F64 = 2, W_STR = 3, W_BLOB = 4;
const COL_ODD1 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x27d4eb2f)) | 1);
const COL_ODD2 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x165667b1)) | 1);
const scratchF64 = new Float64Array(1);
const scratchF64Bits = new Int32Array(scratchF64.buffer);
const scratchF32 = new Float32Array(1);
const scratchF32Bits = new Int32Array(scratchF32.buffer);

function wordKind(k: ColumnKind): number {
  switch (k) {
    case 'u32': case 'i32': case 'f32': return W_BITS;
    case 'f64': return W_F64;
    case 'string': case 'identity': return W_STR;
    case 'bytes': return W_BLOB;
    default: return W_SMALL;
  }
}

export class TableHash {
  private readonly words: Uint8Array;
  /** Int32 views over 4- and 8-byte columns: the hash reads raw bits without converting. */
  private bits: (Int32Array | null)[] = [];
  private readonly salt: number;
  /** The primary key hashes as its integer value (rowKey's fast case), inlined on the drain path. */
  private readonly intKey: boolean;
  /** Drain scratch: each changed row's hash key, by tick entry. */
  private keys = new Int32Array(256);

  constructor(private readonly t: TableStore) {
    this.words = new Uint8Array(t.columns.map((c) => wordKind(c.kind)));
    this.salt = fmix32(Math.imul(t.index + 1, 0x85ebca77));
    this.intKey = this.words[t.pkCol] !== W_F64 && this.words[t.pkCol] !== W_STR;
    this.rebind();
  }

  /** After the table regrew its columns. */
  rebind(): void {
    this.bits = this.t.cols.map((col, c) => (this.words[c] === W_BITS || this.words[c] === W_F64 ? new Int32Array(col.buffer) : null));
  }

  // The world hash is linear in cell values: each cell adds K1·lo + K2·hi (two 32-bit lanes), where
  // lo/hi are the cell's raw bits and K1, K2 are odd multipliers from (table, column, pk). It is not
  // touched by writes: at drain, each changed cell moves it by K·(now − tick start) and inserted /
  // deleted rows add / remove their cells. Since K is odd, any single-cell difference changes it.
  // Each row also adds a presence term, so all-zero rows count.

  /** The low 32 bits of a cell as the hash sees it (raw bits for floats, content hash for strings). */
  wordLo(c: number, slot: number): number {
    switch (this.words[c]) {
      case W_BITS: return this.bits[c]![slot]!;
      case W_F64: return this.bits[c]![2 * slot]!;
      case W_STR: return this.t.db.strings.hashLo[this.t.cols[c]![slot]!]!;
      case W_BLOB: return this.t.db.blobs.hashLo[this.t.cols[c]![slot]!]!;
      default: return this.t.cols[c]![slot]! | 0;
    }
  }
  wordHi(c: number, slot: number): number {
    switch (this.words[c]) {
      case W_F64: return this.bits[c]![2 * slot + 1]!;
      case W_STR: return this.t.db.strings.hashHi[this.t.cols[c]![slot]!]!;
      case W_BLOB: return this.t.db.blobs.hashHi[this.t.cols[c]![slot]!]!;
      default: return 0;
    }
  }
  /** Hash words of a stored value held outside the columns (a tick-start value). */
  storedLo(c: number, v: number): number {
    switch (this.words[c]) {
      case W_BITS:
        if (this.t.kinds[c] !== K_F32) return v | 0;
        scratchF32[0] = v;
        return scratchF32Bits[0]!;
      case W_F64: scratchF64[0] = v; return scratchF64Bits[0]!;
      case W_STR: return this.t.db.strings.hashLo[v]!;
      case W_BLOB: return this.t.db.blobs.hashLo[v]!;
      default: return v | 0;
    }
  }
  storedHi(c: number, v: number): number {
    switch (this.words[c]) {
      case W_F64: scratchF64[0] = v; return scratchF64Bits[1]!;
      case W_STR: return this.t.db.strings.hashHi[v]!;
      case W_BLOB: return this.t.db.blobs.hashHi[v]!;
      default: return 0;
    }
  }
  rowKey(slot: number): number {
    const pc = this.t.pkCol;
    if (this.words[pc] !== W_F64 && this.words[pc] !== W_STR) return fmix32((this.t.cols[pc]![slot]! | 0) ^ this.salt);
    return fmix32(this.wordLo(pc, slot) ^ Math.imul(this.wordHi(pc, slot), 0x9e3779b1) ^ this.salt);
  }
  /** Moves the hash by one cell's change (dLo, dHi) for a row with key `key`. */
  delta(key: number, c: number, dLo: number, dHi: number): void {
    const k1 = Math.imul(key | 1, COL_ODD1[c]!);
    const k2 = Math.imul((key >>> 7) | 1, COL_ODD2[c]!);
    const db = this.t.db;
    db.hashLo = (db.hashLo + Math.imul(k1, dLo) + Math.imul(k2, dHi)) | 0;
    db.hashHi = (db.hashHi + Math.imul(k2, dLo) + Math.imul(k1, dHi)) | 0;
  }
  /** Adds (sign 1) or removes (sign -1) a whole row as it is now. */
  row(slot: number, sign: number): void {
    const key = this.rowKey(slot);
    const db = this.t.db;
    db.hashLo = (db.hashLo + sign * fmix32(key ^ 0xa5a5a5a5)) | 0;
    db.hashHi = (db.hashHi + sign * fmix32(key ^ 0x3c6ef372)) | 0;
    for (let c = 0; c < this.t.ncols; c++) this.delta(key, c, (sign * this.wordLo(c, slot)) | 0, (sign * this.wordHi(c, slot)) | 0);
  }
  /** Drain: folds the tick's changed rows (entries 0..n of the table's tick state) into the world
   * hash. Column by column, each a tight loop with one random read per row, so the reads of many
   * rows are in flight at once (row by row, every row waited for its cache misses in turn). */
  drainEntries(n: number, any: number): void {
    const t = this.t, ts = t.tick, slots = ts.slot, masks = ts.mask, vals = ts.vals, ins = t.inserted, nc = t.ncols;
    if (this.keys.length < n) this.keys = new Int32Array(Math.max(n, this.keys.length * 2));
    // A row's key is computed by the first column pass that meets the row, kept in keys[] for the rest.
    const keys = this.keys, salt = this.salt, intKey = this.intKey, pk = t.cols[t.pkCol]!;
    let done = 0;
    if ((any & ins) !== 0) {
      for (let e = 0; e < n; e++) if (slots[e]! >= 0 && (masks[e]! & ins) !== 0) this.row(slots[e]!, 1);
    }
    let lo = 0, hi = 0;
    const cols = any & ~ins & ((1 << nc) - 1);
    const c1 = 31 - Math.clz32(cols), c2 = 31 - Math.clz32(cols & ~(1 << c1));
    if (c2 >= 0 && (cols & ~(1 << c1) & ~(1 << c2)) === 0 && intKey && this.isF32(c1) && this.isF32(c2)) {
      // Exactly two f32 columns changed (positions, typically): one pass, one key per row.
      this.drainTwoF32(n, c1, c2);
      return;
    }
    for (let c = 0; c < nc; c++) {
      const bit = 1 << c;
      if ((any & bit) === 0) continue;
      const o1 = COL_ODD1[c]!, o2 = COL_ODD2[c]!, w = this.words[c], cOff = c * ts.cap;
      const skip = ins | 0, before = done;
      done |= bit;
      if ((w === W_BITS && t.kinds[c] !== K_F32) || w === W_SMALL) {
        // Integers: the stored number is the word (raw bits of u32 wrap the same way under | 0).
        const col = t.cols[c]!;
        for (let e = 0; e < n; e++) {
          const m = masks[e]!;
          if ((m & bit) === 0 || (m & skip) !== 0) continue;
          const s = slots[e]!;
          if (s < 0) continue;
          const d = ((col[s]! | 0) - (vals[cOff + e]! | 0)) | 0;
          let key: number;
          if ((m & before) === 0) keys[e] = key = intKey ? fmix32((pk[s]! | 0) ^ salt) : this.rowKey(s);
          else key = keys[e]!;
          lo = (lo + Math.imul(Math.imul(key | 1, o1), d)) | 0;
          hi = (hi + Math.imul(Math.imul((key >>> 7) | 1, o2), d)) | 0;
        }
        continue;
      }
      if (w === W_BITS) {
        // f32: raw bits now against the raw bits of the tick-start value.
        const b = this.bits[c]!;
        for (let e = 0; e < n; e++) {
          const m = masks[e]!;
          if ((m & bit) === 0 || (m & skip) !== 0) continue;
          const s = slots[e]!;
          if (s < 0) continue;
          scratchF32[0] = vals[cOff + e]!;
          const d = (b[s]! - scratchF32Bits[0]!) | 0;
          let key: number;
          if ((m & before) === 0) keys[e] = key = intKey ? fmix32((pk[s]! | 0) ^ salt) : this.rowKey(s);
          else key = keys[e]!;
          lo = (lo + Math.imul(Math.imul(key | 1, o1), d)) | 0;
          hi = (hi + Math.imul(Math.imul((key >>> 7) | 1, o2), d)) | 0;
        }
        continue;
      }
      for (let e = 0; e < n; e++) {
        const m = masks[e]!;
        if ((m & bit) === 0 || (m & skip) !== 0) continue;
        const s = slots[e]!;
        if (s < 0) continue;
        const v = vals[cOff + e]!;
        const dLo = (this.wordLo(c, s) - this.storedLo(c, v)) | 0, dHi = (this.wordHi(c, s) - this.storedHi(c, v)) | 0;
        let key: number;
        if ((m & before) === 0) keys[e] = key = intKey ? fmix32((pk[s]! | 0) ^ salt) : this.rowKey(s);
        else key = keys[e]!;
        const k1 = Math.imul(key | 1, o1), k2 = Math.imul((key >>> 7) | 1, o2);
        lo = (lo + Math.imul(k1, dLo) + Math.imul(k2, dHi)) | 0;
        hi = (hi + Math.imul(k2, dLo) + Math.imul(k1, dHi)) | 0;
      }
    }
    const db = t.db;
    db.hashLo = (db.hashLo + lo) | 0;
    db.hashHi = (db.hashHi + hi) | 0;
  }

  private isF32(c: number): boolean {
    return this.words[c] === W_BITS && this.t.kinds[c] === K_F32;
  }

  /** drainEntries for a tick whose updated rows changed only f32 columns c1 and c2. */
  private drainTwoF32(n: number, c1: number, c2: number): void {
    const t = this.t, ts = t.tick, slots = ts.slot, masks = ts.mask, vals = ts.vals, ins = t.inserted | 0;
    const b1 = this.bits[c1]!, b2 = this.bits[c2]!, off1 = c1 * ts.cap, off2 = c2 * ts.cap, bit1 = 1 << c1, bit2 = 1 << c2;
    const p1 = COL_ODD1[c1]!, q1 = COL_ODD2[c1]!, p2 = COL_ODD1[c2]!, q2 = COL_ODD2[c2]!;
    const pk = t.cols[t.pkCol]!, salt = this.salt;
    let lo = 0, hi = 0;
    for (let e = 0; e < n; e++) {
      const m = masks[e]!;
      if ((m & (bit1 | bit2)) === 0 || (m & ins) !== 0) continue;
      const s = slots[e]!;
      if (s < 0) continue;
      const key = fmix32((pk[s]! | 0) ^ salt), ka = key | 1, kb = (key >>> 7) | 1;
      if ((m & bit1) !== 0) {
        scratchF32[0] = vals[off1 + e]!;
        const d = (b1[s]! - scratchF32Bits[0]!) | 0;
        lo = (lo + Math.imul(Math.imul(ka, p1), d)) | 0;
        hi = (hi + Math.imul(Math.imul(kb, q1), d)) | 0;
      }
      if ((m & bit2) !== 0) {
        scratchF32[0] = vals[off2 + e]!;
        const d = (b2[s]! - scratchF32Bits[0]!) | 0;
        lo = (lo + Math.imul(Math.imul(ka, p2), d)) | 0;
        hi = (hi + Math.imul(Math.imul(kb, q2), d)) | 0;
      }
    }
    const db = t.db;
    db.hashLo = (db.hashLo + lo) | 0;
    db.hashHi = (db.hashHi + hi) | 0;
  }

  /** At delete time: the hash words a pre-existing row contributed at tick start, to remove at drain. */
  startHashOf(slot: number, mask: number): [number, number] {
    const saveLo = this.t.db.hashLo, saveHi = this.t.db.hashHi;
    this.t.db.hashLo = 0; this.t.db.hashHi = 0;
    this.row(slot, 1);
    if (mask !== 0) {
      const key = this.rowKey(slot);
      const e = this.t.tick.indexOf(slot);
      for (let c = 0; c < this.t.ncols; c++) {
        if ((mask & (1 << c)) === 0) continue;
        const s = this.t.tick.vals[c * this.t.tick.cap + e]!;
        this.delta(key, c, (this.storedLo(c, s) - this.wordLo(c, slot)) | 0, (this.storedHi(c, s) - this.wordHi(c, slot)) | 0);
      }
    }
    const r: [number, number] = [this.t.db.hashLo, this.t.db.hashHi];
    this.t.db.hashLo = saveLo; this.t.db.hashHi = saveHi;
    return r;
  }
  /** Drain: remove the rows deleted this tick from the world hash. */
  deleted(): void {
    const db = this.t.db;
    for (const d of this.t.deleted) {
      db.hashLo = (db.hashLo - d.hash[0]) | 0;
      db.hashHi = (db.hashHi - d.hash[1]) | 0;
    }
  }

  /** Recomputes the table's hash contribution from scratch. */
  all(): [number, number] {
    const saveLo = this.t.db.hashLo, saveHi = this.t.db.hashHi;
    this.t.db.hashLo = 0; this.t.db.hashHi = 0;
    for (let slot = 0; slot < this.t.count; slot++) this.row(slot, 1);
    const r: [number, number] = [this.t.db.hashLo, this.t.db.hashHi];
    this.t.db.hashLo = saveLo; this.t.db.hashHi = saveHi;
    return r;
  }
}
