// Area changes of a view: creating, reshaping, moving (re-anchoring) and clearing an area. A move
// scans only crescents of the row index: held rows in (old leave region − new leave region) leave,
// rows in (new enter region − old enter region) enter. Runs in the publish callback after the
// change-set pass, so the row index holds the published positions.
import { AREA } from './row-registry.ts';
import { collectRanges } from './region-scan.ts';
import type { AreaShape, FollowTarget } from './area-set.ts';
import type { TableSubs } from './table-subs.ts';
import type { View } from './view.ts';

/** Creates the view's area, or moves / reshapes it. `shape` null keeps the current shape;
 * `follow` undefined keeps the current target. */
export function placeArea(ts: TableSubs, view: View, shape: AreaShape | null, x: number, y: number, follow: FollowTarget | null | undefined): void {
  const A = ts.areas!, a = view.index, ix = ts.rowIndex(), ranges = ts.ranges, data = ix.data, S = ix.stride;
  const fresh = !view.hasArea;
  const oIn = ts.regions[0]!, oOut = ts.regions[1]!, nIn = ts.regions[2]!, nOut = ts.regions[3]!;
  if (!fresh) { oIn.of(A, a, false); oOut.of(A, a, true); }
  if (shape) A.set(a, shape, x, y, follow === undefined ? A.follow[a]! : follow);
  else { A.cx[a] = x; A.cy[a] = y; A.moveAnchor(a, x, y); }
  view.hasArea = true;
  nIn.of(A, a, false);
  nOut.of(A, a, true);
  if (!fresh) {
    collectRanges(ix, oOut, nOut, ranges);
    const r = ranges.r;
    for (let k = 0; k < ranges.n; k++) {
      for (let e = r[k * 2]! * S, end = r[k * 2 + 1]! * S; e < end; e += S) {
        const px = data[e]!, py = data[e + 1]!;
        if (oOut.contains(px, py) && !nOut.contains(px, py)) ts.lose(view, data[e + 2]!, AREA);
      }
    }
  }
  collectRanges(ix, nIn, fresh ? null : oIn, ranges);
  const r = ranges.r;
  for (let k = 0; k < ranges.n; k++) {
    for (let e = r[k * 2]! * S, end = r[k * 2 + 1]! * S; e < end; e += S) {
      const px = data[e]!, py = data[e + 1]!;
      if (!nIn.contains(px, py) || (!fresh && oIn.contains(px, py))) continue;
      ts.gainArea(view, data[e + 2]!, -1);
    }
  }
}

export function clearArea(ts: TableSubs, view: View): void {
  if (!view.hasArea) return;
  const reg = ts.reg;
  for (let h = 0; h < view.hwm; h++) {
    const rid = view.hs[h * 4]!;
    if (rid < 0) continue;
    if ((reg.vl[rid]![view.hs[h * 4 + 1]! * 3 + 2]! & AREA) !== 0) ts.lose(view, rid, AREA);
  }
  ts.areas!.remove(view.index);
  view.hasArea = false;
}

/** Moves following areas to their rows' positions; re-anchors those that drifted past their slack. */
export function followAll(ts: TableSubs): void {
  const A = ts.areas;
  if (A === null || A.followers.length === 0) return;
  const fl = A.followers;
  for (let i = 0; i < fl.length; i++) {
    const a = fl[i]!;
    const f = A.follow[a]!;
    const slot = f.store.slotOf(f.pk);
    if (slot < 0) continue; // the followed row is gone (or not there yet): the area stays put
    const x = f.store.cols[f.xCol]![slot]!, y = f.store.cols[f.yCol]![slot]!;
    A.cx[a] = x;
    A.cy[a] = y;
    if (A.drifted(a)) placeArea(ts, ts.views[a]!, null, x, y, undefined);
  }
}
