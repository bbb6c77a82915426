// Per subscribed table: a stable small id per row (slots move on swap-remove, so views key rows by
// rid), the values clients last saw of the columns routing depends on (position, filter columns),
// and each row's viewer list — (view, handle, reasons) triples — so a change fans out without lookups.
import { KeyMap } from '../table/key-map.ts';
import type { TableStore } from '../table/table-store.ts';

/** Reasons bit: the row is held by the view's area of interest. Query subscriptions add 2 each. */
export const AREA = 1;
export const QUERY = 2;

export class RowRegistry {
  readonly store: TableStore;
  /** String/identity columns: shadows and filter keys are the strings themselves (pool ids get reused). */
  readonly strCol: Uint8Array;
  private readonly pkInt: KeyMap | null;
  private readonly pkAny: Map<unknown, number> | null;
  cap = 0;
  /** Stored primary key per rid (integer keys), or the key itself (other kinds). */
  pkStored: Float64Array = new Float64Array(0);
  pkUser: unknown[] = [];
  /** Position clients last saw (spatial tables). */
  px: Float64Array = new Float64Array(0);
  py: Float64Array = new Float64Array(0);
  /** Viewer triples per rid; arrays are kept when a rid is freed and reused by the next row. */
  vl: (Int32Array | null)[] = [];
  vn: Int32Array = new Int32Array(0);
  /** 1 for rids of live rows. */
  alive: Uint8Array = new Uint8Array(0);
  /** Filter-column shadows: numeric (stored numbers) or string, per column, by rid. */
  readonly num: (Float64Array | null)[];
  readonly str: (string[] | null)[];
  private free: number[] = [];
  private pendingFree: number[] = [];
  private next = 0;

  constructor(store: TableStore) {
    this.store = store;
    this.strCol = new Uint8Array(store.ncols);
    for (let c = 0; c < store.ncols; c++) {
      const k = store.columns[c]!.kind;
      this.strCol[c] = k === 'string' || k === 'identity' ? 1 : 0;
    }
    this.pkInt = store.pkIsInt ? new KeyMap() : null;
    this.pkAny = store.pkIsInt ? null : new Map();
    this.num = new Array(store.ncols).fill(null);
    this.str = new Array(store.ncols).fill(null);
    this.grow(Math.max(64, store.count));
  }

  /** Registers every current row (the table becomes subscribable). */
  fill(): void {
    const st = this.store;
    for (let s = 0; s < st.count; s++) this.add(s);
  }

  ridOfSlot(slot: number): number {
    const st = this.store;
    if (this.pkInt) return this.pkInt.get(st.cols[st.pkCol]![slot]!);
    const r = this.pkAny!.get(st.read(slot, st.pkCol));
    return r === undefined ? -1 : r;
  }

  ridOfPk(pk: unknown): number {
    if (this.pkInt) return typeof pk === 'number' ? this.pkInt.get(pk) : -1;
    const r = this.pkAny!.get(pk);
    return r === undefined ? -1 : r;
  }

  pkOf(rid: number): unknown {
    return this.pkInt ? this.pkStored[rid] : this.pkUser[rid];
  }

  /** The row's current slot (valid during the publish callback), or -1. */
  slotOf(rid: number): number {
    const st = this.store;
    return this.pkInt ? st.pkMap.get(this.pkStored[rid]!) : st.slotOf(this.pkUser[rid]);
  }

  /** Registers the row at `slot` and captures its shadows. */
  add(slot: number): number {
    const rid = this.free.length > 0 ? this.free.pop()! : this.next++;
    if (rid >= this.cap) this.grow(this.cap * 2);
    const st = this.store;
    if (this.pkInt) {
      const k = st.cols[st.pkCol]![slot]!;
      this.pkStored[rid] = k;
      this.pkInt.set(k, rid);
    } else {
      const k = st.read(slot, st.pkCol);
      this.pkUser[rid] = k;
      this.pkAny!.set(k, rid);
    }
    if (st.spatial) {
      this.px[rid] = st.cols[st.spX]![slot]!;
      this.py[rid] = st.cols[st.spY]![slot]!;
    }
    for (let c = 0; c < st.ncols; c++) if (this.num[c] !== null || this.str[c] !== null) this.capture(c, rid, slot);
    this.vn[rid] = 0;
    this.alive[rid] = 1;
    return rid;
  }

  /** The row was deleted: its key no longer resolves; the rid is reused after this publish. */
  release(rid: number): void {
    if (this.pkInt) this.pkInt.delete(this.pkStored[rid]!);
    else { this.pkAny!.delete(this.pkUser[rid]); }
    this.alive[rid] = 0;
    this.pendingFree.push(rid);
  }

  /** End of publish: rids released this tick become reusable. */
  flushFree(): void {
    const p = this.pendingFree;
    for (let i = 0; i < p.length; i++) {
      if (!this.pkInt) this.pkUser[p[i]!] = undefined;
      this.free.push(p[i]!);
    }
    p.length = 0;
  }

  /** Writes the rids of live rows into `out` (grown as needed); returns it and the count. */
  liveIds(out: Int32Array): [Int32Array, number] {
    if (out.length < this.next) out = new Int32Array(Math.max(this.next, out.length * 2));
    let n = 0;
    const alive = this.alive;
    for (let r = 0; r < this.next; r++) if (alive[r]) out[n++] = r;
    return [out, n];
  }

  get size(): number {
    return this.next - this.free.length - this.pendingFree.length;
  }

  // ---- filter-column shadows ----

  /** Starts keeping column `c`'s last published value per row (a subscription filters on it). */
  track(c: number): void {
    if (this.num[c] !== null || this.str[c] !== null) return;
    if (this.strCol[c]) this.str[c] = new Array<string>(this.cap).fill('');
    else this.num[c] = new Float64Array(this.cap);
    const st = this.store;
    for (let s = 0; s < st.count; s++) {
      const rid = this.ridOfSlot(s);
      if (rid >= 0) this.capture(c, rid, s);
    }
  }

  isTracked(c: number): boolean {
    return this.num[c] !== null || this.str[c] !== null;
  }

  capture(c: number, rid: number, slot: number): void {
    const n = this.num[c];
    if (n) n[rid] = this.store.cols[c]![slot]!;
    else this.str[c]![rid] = this.store.read(slot, c) as string;
  }

  // ---- viewer lists ----

  /** Appends (view, handle, reasons) to the row's viewers; returns its index. */
  addViewer(rid: number, view: number, handle: number, reasons: number): number {
    const n = this.vn[rid]!;
    let l = this.vl[rid];
    if (!l) { l = new Int32Array(12); this.vl[rid] = l; }
    else if (n * 3 + 3 > l.length) {
      const g = new Int32Array(l.length * 2);
      g.set(l);
      l = g;
      this.vl[rid] = l;
    }
    l[n * 3] = view;
    l[n * 3 + 1] = handle;
    l[n * 3 + 2] = reasons;
    this.vn[rid] = n + 1;
    return n;
  }

  /** Swap-removes viewer `i`. Returns the index the former last entry moved to (i), or -1 if none moved. */
  removeViewerAt(rid: number, i: number): number {
    const n = this.vn[rid]! - 1;
    this.vn[rid] = n;
    if (i === n) return -1;
    const l = this.vl[rid]!;
    l[i * 3] = l[n * 3]!;
    l[i * 3 + 1] = l[n * 3 + 1]!;
    l[i * 3 + 2] = l[n * 3 + 2]!;
    return i;
  }

  private grow(cap: number): void {
    const f64 = (a: Float64Array) => { const g = new Float64Array(cap); g.set(a); return g; };
    this.pkStored = f64(this.pkStored);
    this.px = f64(this.px);
    this.py = f64(this.py);
    const vn = new Int32Array(cap);
    vn.set(this.vn);
    this.vn = vn;
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.alive = alive;
    // Keep the arrays packed (never holey): a hole turns a JS array into a slow dictionary.
    for (let i = this.cap; i < cap; i++) { this.vl.push(null); if (this.pkAny) this.pkUser.push(undefined); }
    for (let c = 0; c < this.num.length; c++) {
      const n = this.num[c];
      if (n) this.num[c] = f64(n);
      const s = this.str[c];
      if (s) for (let i = s.length; i < cap; i++) s.push('');
    }
    this.cap = cap;
  }
}
