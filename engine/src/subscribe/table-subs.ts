// Subscriptions of one table: its views, query index and areas, and the routing of the tick's
// change set to them. Per changed row the work is the row's viewers plus the subscriptions and
// areas its old and new values select (hash lookups, one scan of nearby area anchors), never a loop
// over clients or subscriptions.
import type { TableStore } from '../table/table-store.ts';
import type { TableChanges } from '../tx/change-set.ts';
import { IdList } from '../table/spatial/spatial-index.ts';
import { RowRegistry, AREA } from './row-registry.ts';
import { QueryIndex } from './query-index.ts';
import { AreaSet } from './area-set.ts';
import { Region, Ranges } from './region-scan.ts';
import { RowIndex } from './row-index.ts';
import { areaCrossings } from './area-crossings.ts';
import { queryLosses, queryGains, queryInsertGains, ownerChanged } from './query-routing.ts';
import { UpdateBuffer } from './update-buffer.ts';
import { View } from './view.ts';
import type { Client } from './client.ts';

/** What the routing needs from the manager during a publish. */
export interface PublishState {
  epoch: number;
  /** True after the change-set pass: a leave may follow an update listed earlier this tick. */
  late: boolean;
  clientsOf(identity: string): readonly Client[] | undefined;
}

export class TableSubs {
  readonly name: string;
  /** Owner column of an owner-only table, else -1. */
  readonly ownerCol: number;
  readonly reg: RowRegistry;
  readonly q: QueryIndex;
  readonly areas: AreaSet | null;
  readonly views: (View | null)[] = [];
  private readonly freeViews: number[] = [];
  private readonly pendingFreeViews: number[] = [];
  /** Views with output this tick. */
  readonly touched: View[] = [];
  /** Rows to encode once this tick. */
  readonly wholeSlots = new IdList(64);
  readonly changeIndexes = new IdList(64);
  private wholeStamp: Int32Array = new Int32Array(64).fill(-1);
  /** The registry is filled on first use; until then changes are not routed. */
  active = false;
  private readonly xyMask: number;
  /** Rows by cell, for area scans (spatial tables). */
  readonly rows: RowIndex | null;
  /** Scratch for region scans. */
  readonly ranges = new Ranges();
  readonly regions = [new Region(), new Region(), new Region(), new Region()];
  /** Scratch for the band a moving area scans. */
  readonly bandOuter = new Region();
  readonly bandInner = new Region();
  readonly updates = new UpdateBuffer();
  /** Areas a moved row entered, applied after its update went to the views already holding it. */
  private entering: Int32Array = new Int32Array(64);
  private nEntering = 0;

  constructor(readonly store: TableStore, readonly index: number, readonly changes: TableChanges, readonly st: PublishState, areaCellSize: number, rowCellSize: number) {
    this.name = store.name;
    const vis = store.def.options.visibility;
    this.ownerCol = vis && typeof vis === 'object' ? store.colIndex[vis.owner]! : -1;
    this.reg = new RowRegistry(store);
    this.q = new QueryIndex(store.ncols);
    this.areas = store.spatial ? new AreaSet(areaCellSize) : null;
    this.rows = store.spatial ? new RowIndex(rowCellSize) : null;
    this.xyMask = store.spatial ? (1 << store.spX) | (1 << store.spY) : 0;
  }

  activate(): void {
    if (this.active) return;
    this.active = true;
    this.reg.fill();
    this.rows?.reset();
  }

  // ---- views ----

  ensureView(client: Client): View {
    const existing = client.views[this.index];
    if (existing) return existing;
    this.activate();
    const idx = this.freeViews.length > 0 ? this.freeViews.pop()! : this.views.length;
    const view = new View(idx, client, this.store, this.reg, this.index, this.changes);
    this.views[idx] = view;
    client.views[this.index] = view;
    this.areas?.ensure(idx);
    return view;
  }

  /** Forgets a view without output (pause, disconnect, resync): its rows, subscriptions and area. */
  dropView(view: View): void {
    for (let h = 0; h < view.hwm; h++) {
      const rid = view.hs[h * 4]!;
      if (rid < 0) continue;
      this.unlink(rid, view.hs[h * 4 + 1]!);
    }
    for (const s of view.subs) this.q.remove(s);
    view.subs.length = 0;
    if (view.hasArea) this.areas!.remove(view.index);
    view.hasArea = false;
    view.resetHandles();
    view.clearOutput();
    this.views[view.index] = null;
    // Reused only after this publish: the update buffer may still name this index.
    this.pendingFreeViews.push(view.index);
    view.client.views[this.index] = null;
  }

  // ---- the primitives every path goes through ----

  visible(view: View, slot: number): boolean {
    return this.ownerCol < 0 || this.store.read(slot, this.ownerCol) === view.client.identity;
  }

  touch(view: View): void {
    if (view.touched !== this.st.epoch) {
      view.touched = this.st.epoch;
      this.touched.push(view);
    }
  }

  enter(view: View, rid: number, slot: number, reasons: number): void {
    const epoch = this.st.epoch;
    const h = view.allocHandle();
    const hs = view.hs, o = h * 4;
    hs[o] = rid;
    hs[o + 2] = epoch;
    hs[o + 1] = this.reg.addViewer(rid, view.index, h, reasons);
    view.map.set(rid, h);
    view.held++;
    view.pushEntered(h, slot);
    this.touch(view);
    if (slot >= this.wholeStamp.length) {
      const g = new Int32Array(Math.max(slot + 1, this.wholeStamp.length * 2)).fill(-1);
      g.set(this.wholeStamp);
      this.wholeStamp = g;
    }
    if (this.wholeStamp[slot] !== epoch) {
      this.wholeStamp[slot] = epoch;
      this.wholeSlots.push(slot);
    }
  }

  /** Removes viewer triple i of row rid (and tells the view whose triple moved into i). */
  private unlink(rid: number, i: number): void {
    const reg = this.reg;
    if (reg.removeViewerAt(rid, i) >= 0) {
      const l = reg.vl[rid]!;
      this.views[l[i * 3]!]!.hs[l[i * 3 + 1]! * 4 + 1] = i;
    }
  }

  leaveAt(view: View, h: number, rid: number, i: number): void {
    this.unlink(rid, i);
    view.map.delete(rid);
    view.hs[h * 4] = -1;
    view.held--;
    view.releaseHandle(h);
    if (view.hs[h * 4 + 2] === this.st.epoch) view.needsFilter = true; // the client never saw it
    else {
      view.pushLeft(h, rid);
      if (this.st.late) view.needsFilter = true;
    }
    this.touch(view);
  }

  /** Adds a reason to hold a (visible) row, entering it if the view does not hold it yet. */
  gain(view: View, rid: number, slot: number, bits: number): void {
    const h = view.map.get(rid);
    if (h < 0) { this.enter(view, rid, slot, bits); return; }
    const l = this.reg.vl[rid]!, k = view.hs[h * 4 + 1]! * 3 + 2;
    l[k] = bits === AREA ? l[k]! | AREA : l[k]! + bits;
  }

  /** Adds the area reason for row `rid` (slot -1: look it up if the row must enter). */
  gainArea(view: View, rid: number, slot: number): void {
    const h = view.map.get(rid);
    if (h >= 0) {
      const l = this.reg.vl[rid]!, k = view.hs[h * 4 + 1]! * 3 + 2;
      l[k] = l[k]! | AREA;
      return;
    }
    if (slot < 0) slot = this.reg.slotOf(rid);
    if (this.visible(view, slot)) this.enter(view, rid, slot, AREA);
  }

  /** Removes a reason; the row leaves when none is left. */
  lose(view: View, rid: number, bits: number): void {
    const h = view.map.get(rid);
    if (h < 0) return;
    const i = view.hs[h * 4 + 1]!;
    const l = this.reg.vl[rid]!;
    const r = bits === AREA ? l[i * 3 + 2]! & ~AREA : l[i * 3 + 2]! - bits;
    if (r <= 0) this.leaveAt(view, h, rid, i);
    else l[i * 3 + 2] = r;
  }

  // ---- the change-set pass ----

  route(): void {
    if (!this.active) return;
    const ch = this.changes;
    for (let i = 0; i < ch.deleted.length; i++) this.deleteRow(ch.deleted[i]!.pk);
    const ids = ch.updated.ids, masks = ch.updatedMask;
    for (let i = 0; i < ch.updated.length; i++) this.updateRow(i, ids[i]!, masks[i]!);
    const ins = ch.inserted.ids;
    for (let i = 0; i < ch.inserted.length; i++) this.insertRow(ins[i]!);
  }

  private deleteRow(pk: unknown): void {
    const reg = this.reg;
    const rid = reg.ridOfPk(pk);
    if (rid < 0) return;
    const l = reg.vl[rid];
    while (reg.vn[rid]! > 0) {
      const i = reg.vn[rid]! - 1;
      this.leaveAt(this.views[l![i * 3]!]!, l![i * 3 + 1]!, rid, i);
    }
    this.rows?.died();
    reg.release(rid);
  }

  private updateRow(ci: number, slot: number, mask: number): void {
    const reg = this.reg, store = this.store;
    const rid = reg.ridOfSlot(slot);
    if (rid < 0) return;
    let moved = false, px = 0, py = 0, qx = 0, qy = 0;
    if ((mask & this.xyMask) !== 0) {
      px = store.cols[store.spX]![slot]!;
      py = store.cols[store.spY]![slot]!;
      qx = reg.px[rid]!;
      qy = reg.py[rid]!;
      reg.px[rid] = px;
      reg.py[rid] = py;
      this.rows!.moved(rid);
      moved = this.areas!.count > 0;
    }
    const fm = mask & this.q.filterMask;
    if (this.ownerCol >= 0 && (mask & (1 << this.ownerCol)) !== 0) {
      ownerChanged(this, slot, rid);
    } else {
      if (fm !== 0) queryLosses(this, fm, slot, rid);
      if (moved) areaCrossings(this, rid, px, py, qx, qy, true);
      if (reg.vn[rid]! > 0) this.fanOut(ci, rid);
      if (fm !== 0) queryGains(this, fm, slot, rid);
      if (moved) this.applyEnters(rid, slot);
    }
    if (fm !== 0) for (let m = fm; m !== 0; m &= m - 1) reg.capture(31 - Math.clz32(m & -m), rid, slot);
  }

  private insertRow(slot: number): void {
    const rid = this.reg.add(slot);
    this.rows?.moved(rid);
    queryInsertGains(this, rid, slot);
    const A = this.areas;
    if (A !== null && A.count > 0) {
      areaCrossings(this, rid, this.reg.px[rid]!, this.reg.py[rid]!, 0, 0, false);
      this.applyEnters(rid, slot);
    }
  }

  /** Sends the update to every viewer (area leaves were applied before): (view, handle, change)
   * triples appended to the table's buffer, no per-view object touched. */
  private fanOut(ci: number, rid: number): void {
    const l = this.reg.vl[rid]!, n = this.reg.vn[rid]!, buf = this.updates;
    buf.reserve(n);
    const bv = buf.v, bh = buf.h, bc = buf.c;
    let o = buf.n;
    for (let k = 0; k < n * 3; k += 3) { bv[o] = l[k]!; bh[o] = l[k + 1]!; bc[o++] = ci; }
    buf.n = o;
    this.changeIndexes.push(ci);
  }

  /** Queues area `a` for applyEnters (the row moved into its enter region). */
  queueEnter(a: number): void {
    if (this.nEntering === this.entering.length) {
      const g = new Int32Array(this.entering.length * 2);
      g.set(this.entering);
      this.entering = g;
    }
    this.entering[this.nEntering++] = a;
  }

  private applyEnters(rid: number, slot: number): void {
    const owned = this.ownerCol >= 0;
    for (let k = 0; k < this.nEntering; k++) {
      const view = this.views[this.entering[k]!]!;
      if (owned && !this.visible(view, slot)) continue;
      this.gainArea(view, rid, slot);
    }
    this.nEntering = 0;
  }

  clearEnters(): void {
    this.nEntering = 0;
  }

  // ---- delivery ----

  /** Groups the tick's updates by view and hands each view its range. */
  groupUpdates(): void {
    const buf = this.updates;
    if (buf.n === 0) return;
    const nv = this.views.length;
    buf.sort(nv);
    const count = buf.count, start = buf.start;
    for (let v = 0; v < nv; v++) {
      const n = count[v]!;
      if (n === 0) continue;
      const view = this.views[v];
      if (!view) continue; // dropped after the change-set pass
      view.updatedStart = start[v]!;
      view.updatedCount = n;
      view.updatedHandles = buf.sortedH;
      view.updatedChanges = buf.sortedC;
      this.touch(view);
    }
  }

  // ---- end of publish ----

  /** Clears the tick's output and recycles what this tick freed. */
  endTick(): void {
    for (const v of this.touched) { v.clearOutput(); v.flushFree(); }
    this.touched.length = 0;
    this.wholeSlots.clear();
    this.changeIndexes.clear();
    this.updates.clear();
    this.reg.flushFree();
    for (const v of this.pendingFreeViews) this.freeViews.push(v);
    this.pendingFreeViews.length = 0;
  }
}
