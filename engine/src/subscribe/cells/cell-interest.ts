// Area-of-interest by cells for one spatial table. Every row belongs to one cell of a fixed grid
// (with hysteresis), every area to a window of cells, and a client receives exactly the rows of the
// cells in its window. The tick's changes are routed once per row into per-cell lists — a row that
// moved cell leaves one and enters the other under a new handle — and each cell's list becomes one
// encoded block that every client seeing the cell shares. The work per tick is the changed rows plus
// the areas whose window moved; nothing is per (client, row).
import type { TableStore } from '../../table/table-store.ts';
import type { TableChanges } from '../../tx/change-set.ts';
import type { AreaShape, FollowTarget } from '../area-set.ts';
import type { Client } from '../client.ts';
import type { CellTickData } from '../types.ts';
import { RowRegistry } from '../row-registry.ts';
import { CellGrid, sameWindow, clearWindow, type CellInterestOptions } from './cell-grid.ts';
import { CellMembers } from './cell-members.ts';
import { CellArea } from './cell-area.ts';

/** Entry kinds of a cell's tick list. */
export const OUT = 0, IN = 1, UPD = 2;

function grownI32(a: Int32Array, min: number, fill = 0): Int32Array {
  let n = Math.max(16, a.length * 2);
  while (n < min) n *= 2;
  const g = new Int32Array(n);
  g.set(a);
  if (fill !== 0) g.fill(fill, a.length);
  return g;
}

export class CellInterest implements CellTickData {
  readonly grid: CellGrid;
  readonly reg: RowRegistry;
  readonly members: CellMembers;
  active = false;
  /** Per rid: its cell and index in the cell (-1: the cell was full, the row is not sent). */
  private cellOf: Int32Array = new Int32Array(0);
  private localOf: Int32Array = new Int32Array(0);
  /** Per rid: the epoch in which it entered its current cell. */
  private inEpoch: Int32Array = new Int32Array(0);
  private epoch = 0;
  /** Clients whose window holds each cell. */
  readonly viewers: Int32Array;
  // The tick's entries as appended, then grouped by cell.
  private eCell: Int32Array = new Int32Array(1024);
  private eKind: Int32Array = new Int32Array(1024);
  private eHandle: Int32Array = new Int32Array(1024);
  private eAux: Int32Array = new Int32Array(1024);
  private en = 0;
  readonly start: Int32Array;
  kind: Int32Array = new Int32Array(1024);
  handle: Int32Array = new Int32Array(1024);
  aux: Int32Array = new Int32Array(1024);
  /** Cells with entries this tick, ascending. */
  touched: Int32Array = new Int32Array(64);
  touchedCount = 0;
  private readonly byClient = new Map<Client, CellArea>();
  /** Every area, dense (iterated every tick; Map iteration costs more). */
  readonly list: CellArea[] = [];
  /** Rows not sent because their cell was full (see CellInterestOptions.maxAreaCells). */
  overflowed = 0;
  private warned = false;
  private readonly xyMask: number;
  private readonly scratch: Int32Array;
  /** Out of collectFull / collectPrevious: handles and (for full) slots. */
  outH: Int32Array = new Int32Array(64);
  outS: Int32Array = new Int32Array(64);

  constructor(readonly store: TableStore, readonly tableIndex: number, readonly changes: TableChanges, options: CellInterestOptions, private readonly warn: (msg: string) => void) {
    this.grid = new CellGrid(store.name, options);
    this.reg = new RowRegistry(store);
    this.members = new CellMembers(this.grid.cells, this.grid.L);
    this.viewers = new Int32Array(this.grid.cells);
    this.start = new Int32Array(this.grid.cells + 1);
    this.xyMask = (1 << store.spX) | (1 << store.spY);
    this.scratch = new Int32Array(2 + 2 * this.grid.W);
  }

  /** Registers every row on first use; until then changes are not routed. */
  activate(): void {
    if (this.active) return;
    this.active = true;
    this.reg.fill();
    const st = this.store, xs = st.cols[st.spX]!, ys = st.cols[st.spY]!;
    for (let s = 0; s < st.count; s++) {
      const rid = this.reg.ridOfSlot(s);
      this.ensureRid(rid);
      this.place(rid, this.grid.cellOf(xs[s]!, ys[s]!));
    }
    this.members.endTick();
  }

  private ensureRid(rid: number): void {
    if (rid < this.cellOf.length) return;
    this.cellOf = grownI32(this.cellOf, rid + 1);
    this.localOf = grownI32(this.localOf, rid + 1);
    this.inEpoch = grownI32(this.inEpoch, rid + 1);
  }

  /** Puts the row in a cell; returns its handle or -1 (cell full). */
  private place(rid: number, cell: number): number {
    const i = this.members.add(cell, rid);
    this.cellOf[rid] = cell;
    this.localOf[rid] = i;
    this.inEpoch[rid] = this.epoch;
    if (i < 0) {
      this.overflowed++;
      if (!this.warned) this.warned = true, this.warn(`cell interest on '${this.store.name}': a cell holds more than ${this.grid.L} rows; rows beyond that are not sent (use smaller cells or a lower maxAreaCells)`);
      return -1;
    }
    return this.grid.handleBase(cell) + i;
  }

  private unplace(rid: number): number {
    const cell = this.cellOf[rid]!, i = this.localOf[rid]!;
    if (i < 0) { this.overflowed--; return -1; }
    this.members.remove(cell, i);
    return this.grid.handleBase(cell) + i;
  }

  private push(cell: number, kind: number, handle: number, aux: number): void {
    const n = this.en;
    if (n === this.eCell.length) {
      this.eCell = grownI32(this.eCell, n + 1); this.eKind = grownI32(this.eKind, n + 1);
      this.eHandle = grownI32(this.eHandle, n + 1); this.eAux = grownI32(this.eAux, n + 1);
    }
    this.eCell[n] = cell; this.eKind[n] = kind; this.eHandle[n] = handle; this.eAux[n] = aux;
    this.en = n + 1;
  }

  // ---- the publish pass ----

  /** Routes the tick's change set into per-cell lists. */
  route(epoch: number): void {
    this.epoch = epoch;
    this.en = 0;
    this.touchedCount = 0;
    if (!this.active) return;
    const ch = this.changes, reg = this.reg, st = this.store;
    for (let i = 0; i < ch.deleted.length; i++) {
      const rid = reg.ridOfPk(ch.deleted[i]!.pk);
      if (rid < 0) continue;
      const cell = this.cellOf[rid]!, h = this.unplace(rid);
      if (h >= 0) this.push(cell, OUT, h, -1);
      reg.release(rid);
    }
    this.routeUpdates(ch, st.cols[st.spX]!, st.cols[st.spY]!);
    const ins = ch.inserted.ids, xs = st.cols[st.spX]!, ys = st.cols[st.spY]!;
    for (let i = 0; i < ch.inserted.length; i++) {
      const slot = ins[i]!;
      const rid = reg.add(slot);
      this.ensureRid(rid);
      const cell = this.grid.cellOf(xs[slot]!, ys[slot]!);
      const h = this.place(rid, cell);
      if (h >= 0) this.push(cell, IN, h, slot);
    }
    this.group();
  }

  private routeUpdates(ch: TableChanges, xs: ArrayLike<number>, ys: ArrayLike<number>): void {
    const ids = ch.updated.ids, masks = ch.updatedMask, n = ch.updated.length, xy = this.xyMask;
    const reg = this.reg, grid = this.grid, cellOf = this.cellOf, localOf = this.localOf;
    for (let i = 0; i < n; i++) {
      const slot = ids[i]!;
      const rid = reg.ridOfSlot(slot);
      if (rid < 0) continue;
      const cell = cellOf[rid]!;
      if ((masks[i]! & xy) !== 0) {
        const x = xs[slot]!, y = ys[slot]!;
        if (!grid.stays(cell, x, y)) {
          const old = this.unplace(rid);
          if (old >= 0) this.push(cell, OUT, old, -1);
          const to = grid.cellOf(x, y);
          const h = this.place(rid, to);
          if (h >= 0) this.push(to, IN, h, slot);
          continue;
        }
      }
      const local = localOf[rid]!;
      if (local >= 0) this.push(cell, UPD, grid.handleBase(cell) + local, i);
    }
  }

  /** Counting sort of the tick's entries by cell (stable: a cell's entries keep their order). */
  private group(): void {
    const n = this.en, cells = this.grid.cells, start = this.start;
    start.fill(0);
    const ec = this.eCell;
    for (let i = 0; i < n; i++) start[ec[i]! + 1]!++;
    if (this.touched.length < Math.min(n, cells)) this.touched = grownI32(this.touched, Math.min(n, cells));
    let t = 0;
    for (let c = 0; c < cells; c++) {
      const k = start[c + 1]!;
      if (k > 0) this.touched[t++] = c;
      start[c + 1] = start[c]! + k;
    }
    this.touchedCount = t;
    if (this.kind.length < n) { this.kind = grownI32(this.kind, n); this.handle = grownI32(this.handle, n); this.aux = grownI32(this.aux, n); }
    const kind = this.kind, handle = this.handle, aux = this.aux, ek = this.eKind, eh = this.eHandle, ea = this.eAux;
    // start[c] is the write cursor of cell c, restored afterwards by shifting.
    for (let i = 0; i < n; i++) {
      const p = start[ec[i]!]!++;
      kind[p] = ek[i]!; handle[p] = eh[i]!; aux[p] = ea[i]!;
    }
    for (let c = cells; c > 0; c--) start[c] = start[c - 1]!;
    start[0] = 0;
  }

  // ---- areas ----

  /** Sets (or moves, or resizes) the client's area; `fresh`: the client holds nothing of this table. */
  setArea(client: Client, shape: AreaShape, x: number, y: number, follow: FollowTarget | null, fresh: boolean): void {
    this.activate();
    let a = this.byClient.get(client);
    if (!a) {
      a = new CellArea(client, this.tableIndex, this, this.grid);
      this.byClient.set(client, a);
      a.index = this.list.length;
      this.list.push(a);
    }
    a.dying = false;
    a.shape = shape;
    a.follow = follow;
    if (fresh) a.hasPrev = false;
    this.anchor(a, x, y);
  }

  /** The area leaves: its cells are cleared in this tick's delta, then it is forgotten. */
  clearArea(client: Client): void {
    const a = this.byClient.get(client);
    if (!a) return;
    this.windowViewers(a.cur, -1);
    clearWindow(a.cur);
    a.changed = true;
    a.dying = true;
  }

  /** Forgets the client's area at once (disconnect, pause): it receives nothing more. */
  removeArea(client: Client): void {
    const a = this.byClient.get(client);
    if (!a) return;
    this.windowViewers(a.cur, -1);
    this.drop(a);
  }

  /** The client's area, if it has one here. */
  areaOf(client: Client): CellArea | undefined {
    return this.byClient.get(client);
  }

  private drop(a: CellArea): void {
    this.byClient.delete(a.client);
    const last = this.list.pop()!;
    if (last !== a) { this.list[a.index] = last; last.index = a.index; }
  }

  private anchor(a: CellArea, x: number, y: number): void {
    a.ax = x;
    a.ay = y;
    const w = this.scratch;
    this.grid.window(a.shape, x, y, w);
    if (sameWindow(w, a.cur)) return;
    this.windowViewers(a.cur, -1);
    a.cur.set(w);
    this.windowViewers(a.cur, 1);
    a.changed = true;
  }

  private windowViewers(w: Int32Array, d: number): void {
    const gw = this.grid.gw, v = this.viewers;
    for (let cy = w[0]!, k = 2; cy <= w[1]!; cy++, k += 2) {
      const row = cy * gw;
      for (let cx = w[k]!; cx <= w[k + 1]!; cx++) v[row + cx]! += d;
    }
  }

  /** Re-anchors following areas whose followed row drifted more than `margin` from the anchor. */
  follow(): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!, f = a.follow;
      if (!f || a.dying) continue;
      // The followed row is usually still where it was last tick: one read checks that and saves a
      // key lookup per area (deletes move rows, so the slot is verified, not trusted).
      const st = f.store;
      let slot = a.followSlot;
      if (!(st.pkIsInt && slot >= 0 && slot < st.count && st.cols[st.pkCol]![slot] === f.pk)) {
        slot = st.slotOf(f.pk);
        a.followSlot = slot;
        if (slot < 0) continue;
      }
      const x = f.store.cols[f.xCol]![slot]!, y = f.store.cols[f.yCol]![slot]!;
      const dx = x - a.ax, dy = y - a.ay, m = a.shape.margin;
      if (dx * dx + dy * dy > m * m) this.anchor(a, x, y);
    }
  }

  /** End of publish: areas hold what they were sent; freed indexes and rids become reusable. */
  endTick(): void {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.dying) this.drop(this.list[i]!);
    this.members.endTick();
    this.reg.flushFree();
  }

  // ---- what the sink reads ----

  /** Handles and slots of every row in the cell now, into outH / outS; returns the count. */
  collectFull(cell: number): number {
    const rows = this.members.of(cell), n = this.members.hwm[cell]!, base = this.grid.handleBase(cell);
    if (this.outH.length < n) { this.outH = grownI32(this.outH, n); this.outS = grownI32(this.outS, n); }
    let k = 0;
    for (let i = 0; i < n; i++) {
      const rid = rows[i]!;
      if (rid < 0) continue;
      this.outH[k] = base + i;
      this.outS[k++] = this.reg.slotOf(rid);
    }
    return k;
  }

  /** Handles a client that held the cell before this tick holds (the rows there at the last
   * publish), into outH; returns the count. */
  collectPrevious(cell: number): number {
    const rows = this.members.of(cell), n = this.members.hwm[cell]!, base = this.grid.handleBase(cell);
    const s = this.start[cell]!, e = this.start[cell + 1]!;
    const need = n + (e - s);
    if (this.outH.length < need) { this.outH = grownI32(this.outH, need); this.outS = grownI32(this.outS, need); }
    let k = 0;
    for (let i = 0; i < n; i++) {
      const rid = rows[i]!;
      if (rid < 0 || this.inEpoch[rid] === this.epoch) continue;
      this.outH[k++] = base + i;
    }
    for (let p = s; p < e; p++) if (this.kind[p] === OUT) this.outH[k++] = this.handle[p]!;
    return k;
  }

  /** Calls fn for every cell the area's client holds (its window as of its last delta). */
  eachHeldCell(a: CellArea, fn: (cell: number) => void): void {
    const w = a.prev, gw = this.grid.gw;
    if (!w) return;
    for (let cy = w[0]!, k = 2; cy <= w[1]!; cy++, k += 2) {
      for (let cx = w[k]!; cx <= w[k + 1]!; cx++) fn(cy * gw + cx);
    }
  }

  /** Primary keys of the rows in the cell now. */
  pksIn(cell: number, out: unknown[]): void {
    const rows = this.members.of(cell), n = this.members.hwm[cell]!;
    for (let i = 0; i < n; i++) if (rows[i]! >= 0) out.push(this.reg.pkOf(rows[i]!));
  }
}
