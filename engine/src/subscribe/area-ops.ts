// Area changes of a view: creating, reshaping, moving (re-anchoring) and clearing an area. A move
// scans only the band where anything can change: held rows in (old leave region − new leave region)
// leave, rows in (new enter region − old enter region) enter. Runs in the publish callback after the
// change-set pass, so the row index holds the published positions.
import { AREA } from './row-registry.ts';
import { collectRanges, type Region } from './region-scan.ts';
import type { CellIndex } from './cell-index.ts';
import type { AreaShape, FollowTarget } from './area-set.ts';
import type { TableSubs } from './table-subs.ts';
import type { View } from './view.ts';

/** Creates the view's area, or moves / reshapes it. `shape` null keeps the current shape;
 * `follow` undefined keeps the current target. */
export function placeArea(ts: TableSubs, view: View, shape: AreaShape | null, x: number, y: number, follow: FollowTarget | null | undefined): void {
  const A = ts.areas!, a = view.index;
  const fresh = !view.hasArea;
  const oIn = ts.regions[0]!, oOut = ts.regions[1]!, nIn = ts.regions[2]!, nOut = ts.regions[3]!;
  if (!fresh) { oIn.of(A, a, false); oOut.of(A, a, true); }
  if (shape) A.set(a, shape, x, y, follow === undefined ? A.follow[a]! : follow);
  else { A.cx[a] = x; A.cy[a] = y; A.moveAnchor(a, x, y); }
  view.hasArea = true;
  nIn.of(A, a, false);
  nOut.of(A, a, true);
  const rows = ts.rows!;
  rows.prepare(ts.reg);
  if (fresh) {
    scan(ts, rows.static, true, nIn, view);
    scan(ts, rows.dynamic, false, nIn, view);
    return;
  }
  // Leaves lie in (old leave region − new), enters in (new enter region − old): both within one
  // band around the new anchor, from the inner size minus the shift to the outer size plus it. One
  // pass over that band per part of the row index, instead of one per crescent.
  const dx = nIn.x - oIn.x, dy = nIn.y - oIn.y, shift = Math.sqrt(dx * dx + dy * dy);
  const band = ts.bandOuter, hole = ts.bandInner;
  band.rect = hole.rect = nOut.rect;
  band.x = hole.x = nIn.x; band.y = hole.y = nIn.y;
  band.hw = Math.max(nOut.hw, oOut.hw) + shift; band.hh = Math.max(nOut.hh, oOut.hh) + shift;
  band.r2 = band.hw * band.hw;
  hole.hw = Math.max(0, Math.min(nIn.hw, oIn.hw) - shift); hole.hh = Math.max(0, Math.min(nIn.hh, oIn.hh) - shift);
  hole.r2 = hole.hw * hole.hw;
  if (oOut.rect !== nOut.rect) {
    // A circle became a rect or back: a circle around both, no hole (rare; correctness over speed).
    band.rect = false;
    band.hw = band.hh = Math.max(Math.hypot(nOut.hw, nOut.hh), Math.hypot(oOut.hw, oOut.hh)) + shift;
    band.r2 = band.hw * band.hw;
    hole.hw = hole.hh = 0;
  }
  moveScan(ts, rows.static, true, band, hole, view, oIn, oOut, nIn, nOut);
  moveScan(ts, rows.dynamic, false, band, hole, view, oIn, oOut, nIn, nOut);
}

/** Rows of the band: a held row outside the new leave region (and inside the old) loses the area;
 * a row inside the new enter region (and outside the old) gains it. Leaves first, as the views
 * expect (a handle freed this tick is not reused by an enter of the same tick either way). */
function moveScan(ts: TableSubs, ix: CellIndex, isStatic: boolean, band: Region, hole: Region, view: View, oIn: Region, oOut: Region, nIn: Region, nOut: Region): void {
  const ranges = ts.ranges, data = ix.data, S = ix.stride, inDyn = ts.rows!.inDyn, alive = ts.reg.alive;
  collectRanges(ix, band, hole.hw > 0 ? hole : null, ranges);
  const r = ranges.r;
  for (let k = 0; k < ranges.n; k++) {
    for (let e = r[k * 2]! * S, end = r[k * 2 + 1]! * S; e < end; e += S) {
      const px = data[e]!, py = data[e + 1]!;
      const wasOut = oOut.contains(px, py), isOut = nOut.contains(px, py);
      const isIn = nIn.contains(px, py);
      if (wasOut === isOut && !isIn) continue; // neither a leave nor (not inside the new enter region) an enter
      const rid = data[e + 2]!;
      if (isStatic && (inDyn[rid] === 1 || alive[rid] === 0)) continue; // stale: the row moved or died
      if (wasOut && !isOut) ts.lose(view, rid, AREA);
      else if (isIn && !oIn.contains(px, py)) ts.gainArea(view, rid, -1);
    }
  }
}

/** A new area: every visible row of its enter region gains it. */
function scan(ts: TableSubs, ix: CellIndex, isStatic: boolean, region: Region, view: View): void {
  const ranges = ts.ranges, data = ix.data, S = ix.stride, inDyn = ts.rows!.inDyn, alive = ts.reg.alive;
  collectRanges(ix, region, null, ranges);
  const r = ranges.r;
  for (let k = 0; k < ranges.n; k++) {
    for (let e = r[k * 2]! * S, end = r[k * 2 + 1]! * S; e < end; e += S) {
      if (!region.contains(data[e]!, data[e + 1]!)) continue;
      const rid = data[e + 2]!;
      if (isStatic && (inDyn[rid] === 1 || alive[rid] === 0)) continue; // stale: the row moved or died
      ts.gainArea(view, rid, -1);
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
