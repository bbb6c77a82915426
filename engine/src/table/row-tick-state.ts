// What a table knows about its rows' changes in the current tick, kept per changed row rather than
// per slot: a row's first change this tick gives it an entry (its slot, its changed-column mask, its
// tick-start values), and the only per-slot state is one Int32 naming that entry. Entries are
// filled from the tick's write log when it is resolved (database.ts), by inserts and deletes, and
// by direct-write flushes; the drain walks them in order. Entry numbers grow across ticks (`base`
// moves past the last tick's), so starting a tick clears nothing per row.

const REBASE_AT = 1 << 30;

export class RowTickState {
  /** Per slot: base + e + 1 when the row has entry e this tick; anything ≤ base means none. */
  entry: Int32Array;
  base = 0;
  /** Entries used this tick. */
  count = 0;
  /** Per entry: the row's slot, or -1 once the row is gone (deleted, or its insert rolled back). */
  slot: Int32Array = new Int32Array(256);
  /** Per entry: changed-column bits, plus the table's `inserted` bit for rows inserted this tick. */
  mask: Uint32Array = new Uint32Array(256);
  /** Tick-start values, column-major: column c of entry e at c · cap + e (meaningful only for
   * changed columns). A system that moves every row writes x and y into two dense runs rather
   * than touching a whole row-sized record per row. */
  vals: Float64Array;
  /** Entry capacity (the stride of `vals`). */
  cap = 256;

  constructor(readonly ncols: number, capacity: number) {
    this.entry = new Int32Array(capacity);
    this.vals = new Float64Array(this.cap * ncols);
  }

  /** The row's entry this tick, or a negative number. */
  indexOf(slot: number): number {
    return this.entry[slot]! - this.base - 1;
  }

  maskOf(slot: number): number {
    const e = this.entry[slot]! - this.base - 1;
    return e >= 0 ? this.mask[e]! : 0;
  }

  /** A fresh entry (mask 0) for a row without one. It may regrow `slot`, `mask` and `vals`: read
   * those fields only after the call (`mask[add(s)] = m` writes into the old array). */
  add(slot: number): number {
    const e = this.count;
    if (e === this.slot.length) this.growEntries();
    this.count = e + 1;
    this.entry[slot] = this.base + e + 1;
    this.slot[e] = slot;
    this.mask[e] = 0;
    return e;
  }

  /** Room for `k` more entries, so a caller may fill them inline (entry arrays stay put). */
  reserve(k: number): void {
    while (this.count + k > this.slot.length) this.growEntries();
  }

  /** Sets the row's mask, giving it an entry if it needs one. */
  setMask(slot: number, m: number): void {
    let e = this.entry[slot]! - this.base - 1;
    if (e < 0) {
      if (m === 0) return;
      e = this.add(slot);
    }
    this.mask[e] = m;
  }

  /** The row's entry number as stored (for undo records): put back with restore(). */
  rawOf(slot: number): number {
    return this.entry[slot]!;
  }

  /** Undo of a delete: the row is back at `slot` with the entry it had. */
  restore(slot: number, raw: number): void {
    this.entry[slot] = raw;
    const e = raw - this.base - 1;
    if (e >= 0) this.slot[e] = slot;
  }

  /** The row at `slot` is gone: its entry (if any) no longer names a live row. */
  drop(slot: number): void {
    const e = this.entry[slot]! - this.base - 1;
    if (e >= 0) this.slot[e] = -1;
    this.entry[slot] = 0;
  }

  /** The row at `from` moved to `to` (swap-remove); `to`'s entry must have been dropped. */
  move(from: number, to: number): void {
    const raw = this.entry[from]!;
    this.entry[to] = raw;
    this.entry[from] = 0;
    const e = raw - this.base - 1;
    if (e >= 0) this.slot[e] = to;
  }

  /** Starts a new tick: every entry of the last one is void. */
  nextTick(): void {
    this.base += this.count;
    this.count = 0;
    if (this.base > REBASE_AT) this.clear();
  }

  /** Forgets every entry (new tick, or the table was replaced). */
  clear(): void {
    this.entry.fill(0);
    this.base = 0;
    this.count = 0;
  }

  grow(capacity: number): void {
    const g = new Int32Array(capacity);
    g.set(this.entry.subarray(0, Math.min(capacity, this.entry.length)));
    this.entry = g;
  }

  private growEntries(): void {
    const old = this.cap, n = old * 2;
    const s = new Int32Array(n); s.set(this.slot); this.slot = s;
    const m = new Uint32Array(n); m.set(this.mask); this.mask = m;
    const v = new Float64Array(n * this.ncols);
    for (let c = 0; c < this.ncols; c++) v.set(this.vals.subarray(c * old, c * old + this.count), c * n);
    this.vals = v;
    this.cap = n;
  }
}
