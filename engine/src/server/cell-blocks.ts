// The encoded blocks of one cell-interest table for one tick: per cell, one table block with the
// rows that left it, entered it or changed in it, laid out in cell order in one buffer so that a
// client's run of consecutive cells is a single copy; and, on demand, a cell's whole rows (clients
// whose window gains the cell) or deletes of what a client held there (clients whose window loses it).
import type { CellTickData, CellTableDelta } from '../subscribe/index.ts';
import { ByteWriter, TableBlockWriter, type RowPieceEncoder, type CompiledLayout, type ClientFrameAssembler } from '../protocol/index.ts';
import { SlotReader, PreviousReader } from './row-readers.ts';

const OUT = 0, IN = 1;

function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const g = new Int32Array(Math.max(n, a.length * 2));
  g.set(a);
  return g;
}

export class CellBlocks {
  private readonly writer: TableBlockWriter;
  private readonly tick = new ByteWriter(64 * 1024);
  private readonly lazy = new ByteWriter(64 * 1024);
  /** Tick block of cell c: tick.buf[off[c], off[c + 1]). */
  private off: Int32Array;
  /** Whole-cell (kind 0) and cleared-cell (kind 1) blocks, made on first use in a tick. */
  private readonly lazyStart: [Int32Array, Int32Array];
  private readonly lazyEnd: [Int32Array, Int32Array];
  private readonly lazyStamp: [Int32Array, Int32Array];
  private wholePiece = new Int32Array(64);
  private wholeStamp = new Int32Array(64).fill(-1);
  private delH: Int32Array = new Int32Array(64);
  private insH: Int32Array = new Int32Array(64);
  private insP: Int32Array = new Int32Array(64);
  private updH: Int32Array = new Int32Array(64);
  private updP: Int32Array = new Int32Array(64);
  private readonly next = new SlotReader();
  private readonly prev = new PreviousReader();
  private stamp = 0;
  private data: CellTickData | null = null;

  constructor(private readonly pieces: RowPieceEncoder, private readonly layout: CompiledLayout, cells: number) {
    this.writer = new TableBlockWriter(pieces);
    this.off = new Int32Array(cells + 1);
    this.lazyStart = [new Int32Array(cells), new Int32Array(cells)];
    this.lazyEnd = [new Int32Array(cells), new Int32Array(cells)];
    this.lazyStamp = [new Int32Array(cells).fill(-1), new Int32Array(cells).fill(-1)];
  }

  /** Encodes the tick block of every cell someone sees that had entries (after pieces.reset()). */
  beginTick(data: CellTickData, stamp: number): void {
    this.data = data;
    this.stamp = stamp;
    this.tick.reset();
    this.lazy.reset();
    const store = data.store;
    this.next.store = store;
    this.prev.store = store;
    if (this.wholePiece.length < store.capacity) {
      this.wholePiece = new Int32Array(store.capacity);
      this.wholeStamp = new Int32Array(store.capacity).fill(-1);
    }
    const off = this.off, touched = data.touched, viewers = data.viewers, cells = data.grid.cells;
    let c = 0;
    for (let t = 0; t < data.touchedCount; t++) {
      const cell = touched[t]!;
      const pos = this.tick.pos;
      while (c <= cell) off[c++] = pos;
      if (viewers[cell]! > 0) this.encodeTickBlock(data, cell);
    }
    const end = this.tick.pos;
    while (c <= cells) off[c++] = end;
  }

  private whole(slot: number): number {
    if (this.wholeStamp[slot] === this.stamp) return this.wholePiece[slot]!;
    this.next.slot = slot;
    const p = this.pieces.encodeRow(this.layout, this.next);
    this.wholePiece[slot] = p;
    this.wholeStamp[slot] = this.stamp;
    return p;
  }

  private room(n: number): void {
    if (this.delH.length >= n) return;
    this.delH = grown(this.delH, n); this.insH = grown(this.insH, n); this.insP = grown(this.insP, n);
    this.updH = grown(this.updH, n); this.updP = grown(this.updP, n);
  }

  private encodeTickBlock(d: CellTickData, cell: number): void {
    const s = d.start[cell]!, e = d.start[cell + 1]!;
    this.room(e - s);
    const ch = d.changes, kind = d.kind, handle = d.handle, aux = d.aux;
    let nd = 0, ni = 0, nu = 0;
    for (let p = s; p < e; p++) {
      const k = kind[p]!;
      if (k === OUT) this.delH[nd++] = handle[p]!;
      else if (k === IN) { this.insH[ni] = handle[p]!; this.insP[ni++] = this.whole(aux[p]!); }
      else {
        const i = aux[p]!, slot = ch.updated.ids[i]!;
        this.next.slot = slot;
        this.prev.slot = slot;
        this.prev.mask = ch.updatedMask[i]!;
        this.updH[nu] = handle[p]!;
        this.updP[nu++] = this.pieces.encodeUpdate(this.layout, this.prev.mask, this.next, this.prev);
      }
    }
    this.writer.write(this.tick, d.tableIndex, this.delH, nd, this.insH, this.insP, ni, this.updH, this.updP, nu);
  }

  /** Copies the tick blocks of cells [first, last] (consecutive in one grid row). */
  private copyRun(a: ClientFrameAssembler, first: number, last: number): void {
    const s = this.off[first]!, e = this.off[last + 1]!;
    if (e > s) a.addBlocks(this.tick.buf, s, e, 1);
  }

  /** Kind 0: the cell's whole rows; kind 1: deletes of what a client held there before this tick. */
  private copyLazy(a: ClientFrameAssembler, kind: 0 | 1, cell: number): void {
    const st = this.lazyStamp[kind];
    if (st[cell] !== this.stamp) {
      st[cell] = this.stamp;
      const d = this.data!, w = this.lazy;
      this.lazyStart[kind][cell] = w.pos;
      if (kind === 0) {
        const n = d.collectFull(cell);
        this.room(n);
        for (let i = 0; i < n; i++) { this.insH[i] = d.outH[i]!; this.insP[i] = this.whole(d.outS[i]!); }
        this.writer.write(w, d.tableIndex, this.delH, 0, this.insH, this.insP, n, this.updH, this.updP, 0);
      } else {
        const n = d.collectPrevious(cell);
        this.writer.write(w, d.tableIndex, d.outH, n, this.insH, this.insP, 0, this.updH, this.updP, 0);
      }
      this.lazyEnd[kind][cell] = w.pos;
    }
    const s = this.lazyStart[kind][cell]!, e = this.lazyEnd[kind][cell]!;
    if (e > s) a.addBlocks(this.lazy.buf, s, e, 1);
  }

  /** Adds one client's blocks for this table to its frame. */
  addClient(a: ClientFrameAssembler, cd: CellTableDelta, reset: boolean): void {
    const gw = this.data!.grid.gw, cur = cd.cur, prev = reset ? null : cd.prev;
    const cy0 = cur[0]!, cy1 = cur[1]!;
    if (!prev) {
      for (let y = cy0, k = 2; y <= cy1; y++, k += 2) {
        for (let x = cur[k]!; x <= cur[k + 1]!; x++) this.copyLazy(a, 0, y * gw + x);
      }
      return;
    }
    const py0 = prev[0]!, py1 = prev[1]!;
    const lo = Math.min(py0, cy0), hi = Math.max(py1, cy1);
    for (let y = lo; y <= hi; y++) {
      let qx0 = 1, qx1 = 0, px0 = 1, px1 = 0;
      if (y >= cy0 && y <= cy1) { qx0 = cur[2 + 2 * (y - cy0)]!; qx1 = cur[3 + 2 * (y - cy0)]!; }
      if (y >= py0 && y <= py1) { px0 = prev[2 + 2 * (y - py0)]!; px1 = prev[3 + 2 * (y - py0)]!; }
      const row = y * gw;
      const s = Math.max(px0, qx0), e = Math.min(px1, qx1);
      if (s <= e) this.copyRun(a, row + s, row + e);
      for (let x = qx0; x <= qx1; x++) if (x < px0 || x > px1) this.copyLazy(a, 0, row + x);
      for (let x = px0; x <= px1; x++) if (x < qx0 || x > qx1) this.copyLazy(a, 1, row + x);
    }
  }
}
