// Query subscriptions of one table, indexed so a changed row finds its subscribers directly:
// whole-table subscriptions in a list, equality filters in a map per (column, value), ranges in an
// interval-stabbing index per column. Values are canonical: stored numbers, or strings for
// string/identity columns (their pool ids are reused after a value disappears).
import { RangeIndex } from './range-index.ts';
import type { View } from './view.ts';

export type FilterKey = number | string;

export interface Sub {
  readonly view: View;
  readonly queryId: number;
  readonly kind: 'all' | 'eq' | 'range';
  /** Filtered column, -1 for 'all'. */
  readonly col: number;
  readonly key: FilterKey;
  readonly lo: number;
  readonly hi: number;
}

export class QueryIndex {
  readonly all: Sub[] = [];
  readonly eq: (Map<FilterKey, Sub[]> | null)[];
  readonly range: (RangeIndex<Sub> | null)[];
  /** Columns some eq subscription filters on, and their bits. */
  eqCols: number[] = [];
  rangeCols: number[] = [];
  /** Bits of every filtered column: an update touching none of them skips routing. */
  filterMask = 0;
  private readonly refs: Int32Array;

  constructor(ncols: number) {
    this.eq = new Array(ncols).fill(null);
    this.range = new Array(ncols).fill(null);
    this.refs = new Int32Array(ncols);
  }

  get size(): number {
    let n = this.all.length;
    for (const m of this.eq) if (m) for (const l of m.values()) n += l.length;
    for (const r of this.range) if (r) n += r.size;
    return n;
  }

  add(s: Sub): void {
    if (s.kind === 'all') { this.all.push(s); return; }
    const c = s.col;
    if (s.kind === 'eq') {
      let m = this.eq[c];
      if (!m) { m = new Map(); this.eq[c] = m; this.eqCols.push(c); }
      const l = m.get(s.key);
      if (l) l.push(s);
      else m.set(s.key, [s]);
    } else {
      let r = this.range[c];
      if (!r) { r = new RangeIndex<Sub>(); this.range[c] = r; this.rangeCols.push(c); }
      r.add(s);
    }
    if (this.refs[c]!++ === 0) this.filterMask |= 1 << c;
  }

  remove(s: Sub): void {
    if (s.kind === 'all') { removeItem(this.all, s); return; }
    const c = s.col;
    if (s.kind === 'eq') {
      const m = this.eq[c]!;
      const l = m.get(s.key);
      if (l) {
        removeItem(l, s);
        if (l.length === 0) m.delete(s.key);
      }
    } else {
      this.range[c]!.remove(s);
    }
    if (--this.refs[c]! === 0) this.filterMask &= ~(1 << c);
  }

  /** Equality subscriptions on column c for value `key` (shared array; do not keep). */
  eqSubs(c: number, key: FilterKey): readonly Sub[] | undefined {
    return this.eq[c]!.get(key);
  }
}

function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}
