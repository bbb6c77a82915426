// Routing of a changed row to query subscriptions: old and new filter values (the shadow holds
// what clients last saw) select the subscriptions that lose or gain the row, through the query
// index; on owner-only tables an owner change moves the row from the old owner's views to the new
// owner's. Every lookup is by value: no loop over subscriptions or clients.
import { QUERY, AREA } from './row-registry.ts';
import type { Sub, FilterKey } from './query-index.ts';
import type { TableSubs } from './table-subs.ts';
import type { View } from './view.ts';

/** A column's canonical value in `slot`: the stored number, or the string for string columns. */
export function canonAt(ts: TableSubs, c: number, slot: number): FilterKey {
  return ts.reg.strCol[c] ? (ts.store.read(slot, c) as string) : ts.store.cols[c]![slot]!;
}

function shadowOf(ts: TableSubs, c: number, rid: number): FilterKey {
  const n = ts.reg.num[c];
  return n ? n[rid]! : ts.reg.str[c]![rid]!;
}

export function matches(ts: TableSubs, s: Sub, slot: number): boolean {
  if (s.kind === 'all') return true;
  if (s.kind === 'eq') return canonAt(ts, s.col, slot) === s.key;
  const v = ts.store.cols[s.col]![slot]!;
  return v >= s.lo && v <= s.hi;
}

/** A new row: every subscription its values select takes it. */
export function queryInsertGains(ts: TableSubs, rid: number, slot: number): void {
  const q = ts.q;
  for (let i = 0; i < q.all.length; i++) {
    const s = q.all[i]!;
    if (ts.visible(s.view, slot)) ts.gain(s.view, rid, slot, QUERY);
  }
  for (let k = 0; k < q.eqCols.length; k++) {
    const c = q.eqCols[k]!;
    const list = q.eqSubs(c, canonAt(ts, c, slot));
    if (list) for (let i = 0; i < list.length; i++) if (ts.visible(list[i]!.view, slot)) ts.gain(list[i]!.view, rid, slot, QUERY);
  }
  for (let k = 0; k < q.rangeCols.length; k++) {
    const c = q.rangeCols[k]!;
    const list = q.range[c]!.stab(ts.store.cols[c]![slot]!);
    for (let i = 0; i < list.length; i++) if (ts.visible(list[i]!.view, slot)) ts.gain(list[i]!.view, rid, slot, QUERY);
  }
}

export function queryLosses(ts: TableSubs, fm: number, slot: number, rid: number): void {
  const q = ts.q;
  for (let k = 0; k < q.eqCols.length; k++) {
    const c = q.eqCols[k]!;
    if ((fm & (1 << c)) === 0) continue;
    const old = shadowOf(ts, c, rid);
    if (old === canonAt(ts, c, slot)) continue;
    const list = q.eqSubs(c, old);
    if (list) for (let i = 0; i < list.length; i++) ts.lose(list[i]!.view, rid, QUERY);
  }
  for (let k = 0; k < q.rangeCols.length; k++) {
    const c = q.rangeCols[k]!;
    if ((fm & (1 << c)) === 0) continue;
    const old = ts.reg.num[c]![rid]!, now = ts.store.cols[c]![slot]!;
    if (old === now) continue;
    const list = q.range[c]!.stab(old);
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (!(now >= s.lo && now <= s.hi)) ts.lose(s.view, rid, QUERY);
    }
  }
}

export function queryGains(ts: TableSubs, fm: number, slot: number, rid: number): void {
  const q = ts.q;
  for (let k = 0; k < q.eqCols.length; k++) {
    const c = q.eqCols[k]!;
    if ((fm & (1 << c)) === 0) continue;
    const now = canonAt(ts, c, slot);
    if (shadowOf(ts, c, rid) === now) continue;
    const list = q.eqSubs(c, now);
    if (list) for (let i = 0; i < list.length; i++) if (ts.visible(list[i]!.view, slot)) ts.gain(list[i]!.view, rid, slot, QUERY);
  }
  for (let k = 0; k < q.rangeCols.length; k++) {
    const c = q.rangeCols[k]!;
    if ((fm & (1 << c)) === 0) continue;
    const old = ts.reg.num[c]![rid]!, now = ts.store.cols[c]![slot]!;
    if (old === now) continue;
    const list = q.range[c]!.stab(now);
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (!(old >= s.lo && old <= s.hi) && ts.visible(s.view, slot)) ts.gain(s.view, rid, slot, QUERY);
    }
  }
}

/** Owner-only table, owner changed: every holder (the old owner) drops the row; the new owner's
 * views take it for every subscription and area that selects it. */
export function ownerChanged(ts: TableSubs, slot: number, rid: number): void {
  const reg = ts.reg, l = reg.vl[rid];
  while (reg.vn[rid]! > 0) {
    const i = reg.vn[rid]! - 1;
    ts.leaveAt(ts.views[l![i * 3]!]!, l![i * 3 + 1]!, rid, i);
  }
  const clients = ts.st.clientsOf(ts.store.read(slot, ts.ownerCol) as string);
  if (!clients) return;
  for (const client of clients) {
    const view = client.views[ts.index];
    if (view) reevaluate(ts, view, rid, slot);
  }
}

/** Enters a row the view does not hold with every reason it has to hold it (if any). */
export function reevaluate(ts: TableSubs, view: View, rid: number, slot: number): void {
  if (view.map.get(rid) >= 0 || !ts.visible(view, slot)) return;
  let r = 0;
  if (view.hasArea && ts.areas!.insideIn(view.index, ts.reg.px[rid]!, ts.reg.py[rid]!)) r |= AREA;
  for (const s of view.subs) if (matches(ts, s, slot)) r += QUERY;
  if (r !== 0) ts.enter(view, rid, slot, r);
}
