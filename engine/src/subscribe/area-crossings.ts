// Which areas a changed row crossed into or out of: the anchors near it, scanned as one contiguous
// run per grid row of the anchor index. A row that left an area's leave region (from inside it)
// loses that area at once; areas whose enter region it came into are queued, to be entered after
// the row's update went to the views that already hold it. Anchors closer than the smallest inner
// radius minus the move hold the row before and after, so the scan is an annulus.
import { AREA } from './row-registry.ts';
import { collectRanges } from './region-scan.ts';
import type { TableSubs } from './table-subs.ts';

const ENTERS = 1, LEAVES = 2;

/** Inserted rows (hasPrev false) can only enter. */
export function areaCrossings(ts: TableSubs, rid: number, px: number, py: number, qx: number, qy: number, hasPrev: boolean): void {
  const A = ts.areas!;
  A.refreshReach();
  ts.clearEnters();
  if (!hasPrev) { scanAround(ts, px, py, A.maxReach, 0, ENTERS, rid, px, py, qx, qy, false); return; }
  const dx = px - qx, dy = py - qy, d = Math.sqrt(dx * dx + dy * dy);
  if (d <= A.anchorIndex().cellSize) {
    scanAround(ts, px, py, Math.max(A.maxReach, A.maxOutReach + d), A.minInner - d, ENTERS | LEAVES, rid, px, py, qx, qy, true);
  } else {
    // A jump: leaves happen around where it was, enters around where it is.
    scanAround(ts, qx, qy, A.maxOutReach, 0, LEAVES, rid, px, py, qx, qy, true);
    scanAround(ts, px, py, A.maxReach, 0, ENTERS, rid, px, py, qx, qy, true);
  }
}

/** Scans the anchors within R of (x, y), skipping cells wholly within `inner` of it. */
function scanAround(ts: TableSubs, x: number, y: number, R: number, inner: number, mode: number, rid: number, px: number, py: number, qx: number, qy: number, hasPrev: boolean): void {
  const ix = ts.areas!.anchorIndex(), plus = ts.regions[0]!, minus = ts.regions[1]!, ranges = ts.ranges;
  plus.rect = false; plus.x = x; plus.y = y; plus.hw = plus.hh = R; plus.r2 = R * R;
  minus.rect = false; minus.x = x; minus.y = y; minus.hw = minus.hh = inner; minus.r2 = inner * inner;
  collectRanges(ix, plus, inner > 0 ? minus : null, ranges);
  const r = ranges.r;
  for (let k = 0; k < ranges.n; k++) scanRun(ts, r[k * 2]!, r[k * 2 + 1]!, mode, rid, px, py, qx, qy, hasPrev);
}

function scanRun(ts: TableSubs, from: number, to: number, mode: number, rid: number, px: number, py: number, qx: number, qy: number, hasPrev: boolean): void {
  const A = ts.areas!, ix = A.anchors, d = ix.data, S = ix.stride;
  if (mode === (ENTERS | LEAVES) && hasPrev) {
    // The common case, a small move: almost every anchor is neither entered nor left, and which
    // ones are is unpredictable. One branchless test per anchor (min / max compile to no jumps)
    // lets only candidates, and rect areas, take the exact path below.
    for (let e = from * S, end = to * S; e < end; e += S) {
      const ax = d[e]!, ay = d[e + 1]!;
      const pdx = px - ax, pdy = py - ay, dp2 = pdx * pdx + pdy * pdy;
      const qdx = qx - ax, qdy = qy - ay, dq2 = qdx * qdx + qdy * qdy;
      const in2 = d[e + 3]!, out2 = d[e + 4]!;
      if (Math.max(Math.min(in2 - dp2, dq2 - in2), Math.min(out2 - dq2, dp2 - out2)) < 0 && d[e + 5] === 0) continue;
      crossing(ts, A, d, e, rid, px, py, qx, qy, dp2, dq2, in2, out2, mode, true);
    }
    return;
  }
  for (let e = from * S, end = to * S; e < end; e += S) {
    const ax = d[e]!, ay = d[e + 1]!;
    const pdx = px - ax, pdy = py - ay, dp2 = pdx * pdx + pdy * pdy;
    const qdx = qx - ax, qdy = qy - ay, dq2 = qdx * qdx + qdy * qdy;
    crossing(ts, A, d, e, rid, px, py, qx, qy, dp2, dq2, d[e + 3]!, d[e + 4]!, mode, hasPrev);
  }
}

/** The exact enter / leave decision for one anchor. Rect areas: in2 / out2 are their
 * circumcircles, a prefilter; they are decided exactly. */
function crossing(ts: TableSubs, A: NonNullable<TableSubs['areas']>, d: Float64Array, e: number, rid: number, px: number, py: number, qx: number, qy: number, dp2: number, dq2: number, in2: number, out2: number, mode: number, hasPrev: boolean): void {
  const rect = d[e + 5] !== 0;
  if ((mode & ENTERS) !== 0 && dp2 <= in2) {
    const a = d[e + 2]!;
    if (rect ? A.insideIn(a, px, py) && !(hasPrev && A.insideIn(a, qx, qy)) : !(hasPrev && dq2 <= in2)) ts.queueEnter(a);
  }
  if ((mode & LEAVES) !== 0 && dq2 <= out2) {
    const a = d[e + 2]!;
    if (rect ? A.insideOut(a, qx, qy) && !A.insideOut(a, px, py) : dp2 > out2) ts.lose(ts.views[a]!, rid, AREA);
  }
}
