// Area changes of a view: creating, reshaping, moving (re-anchoring) and clearing an area. A move
// scans only crescents of the row index: held rows in (old leave region − new leave region) leave,
// rows in (new enter region − old enter region) enter. Runs in the publish callback after the
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
  if (!fresh) {
    scan(ts, rows.static, true, oOut, nOut, view, LEAVE, oIn);
    scan(ts, rows.dynamic, false, oOut, nOut, view, LEAVE, oIn);
  }
  scan(ts, rows.static, true, nIn, fresh ? null : oIn, view, fresh ? FRESH : ENTER, oIn);
  scan(ts, rows.dynamic, false, nIn, fresh ? null : oIn, view, fresh ? FRESH : ENTER, oIn);
}

const LEAVE = 0, ENTER = 1, FRESH = 2;

/** Rows of `ix` in plus − minus: LEAVE drops the area reason of those outside `minus` (the new
 * leave region); ENTER / FRESH add it to those not inside `oldIn` (ENTER) or to all (FRESH). */
function scan(ts: TableSubs, ix: CellIndex, isStatic: boolean, plus: Region, minus: Region | null, view: View, what: number, oldIn: Region): void {
  const ranges = ts.ranges, data = ix.data, S = ix.stride, inDyn = ts.rows!.inDyn, alive = ts.reg.alive;
  collectRanges(ix, plus, minus, ranges);
  const r = ranges.r;
  for (let k = 0; k < ranges.n; k++) {
    for (let e = r[k * 2]! * S, end = r[k * 2 + 1]! * S; e < end; e += S) {
      const px = data[e]!, py = data[e + 1]!, rid = data[e + 2]!;
      if (!plus.contains(px, py)) continue;
      if (isStatic && (inDyn[rid] === 1 || alive[rid] === 0)) continue; // stale: the row moved or died
      if (what === LEAVE) { if (!minus!.contains(px, py)) ts.lose(view, rid, AREA); }
      else if (what === FRESH || !oldIn.contains(px, py)) ts.gainArea(view, rid, -1);
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
