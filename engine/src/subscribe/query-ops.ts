// Adding and removing a query subscription on a view: the initial result comes from the table's own
// indexes (primary key, unique, hash/btree), and removal re-runs the same lookup to drop exactly the
// rows the subscription was holding. Runs during the publish callback, when tables hold published state.
import { QUERY } from './row-registry.ts';
import type { Sub } from './query-index.ts';
import type { QueryDef } from './client.ts';
import type { TableSubs } from './table-subs.ts';
import type { View } from './view.ts';

/** Calls fn(slot) for every row matching `def` now. */
export function forEachMatch(ts: TableSubs, def: Pick<QueryDef, 'kind' | 'col' | 'key' | 'lo' | 'hi'>, fn: (slot: number) => void): void {
  const st = ts.store;
  if (def.kind === 'all') {
    for (let s = 0; s < st.count; s++) fn(s);
    return;
  }
  const c = def.col;
  if (def.kind === 'range') {
    const mi = st.multi[c];
    if (mi && mi.kind === 'btree') { mi.range(def.lo, def.hi, fn); return; }
    const col = st.cols[c]!;
    for (let s = 0; s < st.count; s++) if (col[s]! >= def.lo && col[s]! <= def.hi) fn(s);
    return;
  }
  const key = def.key;
  const stored = typeof key === 'string' ? st.keyOf(c, key) : key;
  if (stored !== stored) return; // a string no row holds
  if (c === st.pkCol) {
    const s = st.pkMap.get(stored);
    if (s >= 0) fn(s);
    return;
  }
  const u = st.uniques[c];
  if (u) {
    const s = u.get(stored);
    if (s >= 0) fn(s);
    return;
  }
  const mi = st.multi[c];
  if (mi) {
    const slots = mi.get(stored);
    for (let i = 0; i < slots.length; i++) fn(slots[i]!);
    return;
  }
  // Only the owner column of ownerIsMe / owner-only subscriptions gets here unindexed: scan once.
  const col = st.cols[c]!;
  for (let s = 0; s < st.count; s++) if (col[s] === stored) fn(s);
}

export function addSub(ts: TableSubs, view: View, def: QueryDef): Sub {
  const sub: Sub = { view, queryId: def.queryId, kind: def.kind, col: def.col, key: def.key, lo: def.lo, hi: def.hi };
  if (def.col >= 0) ts.reg.track(def.col);
  view.subs.push(sub);
  ts.q.add(sub);
  const reg = ts.reg;
  forEachMatch(ts, def, (slot) => {
    if (ts.visible(view, slot)) ts.gain(view, reg.ridOfSlot(slot), slot, QUERY);
  });
  return sub;
}

export function removeSub(ts: TableSubs, view: View, queryId: number): boolean {
  const i = view.subs.findIndex((s) => s.queryId === queryId);
  if (i < 0) return false;
  const sub = view.subs[i]!;
  view.subs.splice(i, 1);
  ts.q.remove(sub);
  const reg = ts.reg;
  forEachMatch(ts, sub, (slot) => ts.lose(view, reg.ridOfSlot(slot), QUERY));
  return true;
}
