// The subscription sink: each tick, encodes every row change that at least one client sees ONCE
// (whole rows for clients a row enters, changed columns for clients that hold it), then assembles
// each client's TickUpdate from those pieces and hands it to the client's session.
import type { TickReport } from '../tick/types.ts';
import type { DeltaSink, ClientDelta, SubscriptionManager } from '../subscribe/index.ts';
import {
  RowPieceEncoder, ClientFrameAssembler, HandleList, compileLayout, type CompiledLayout, type TableLayout,
} from '../protocol/index.ts';
import { SlotReader, PreviousReader } from './row-readers.ts';
import { CellBlocks } from './cell-blocks.ts';

interface TableCodec {
  layout: CompiledLayout;
  /** Piece id of the whole row by slot (this tick), and of the update piece by change index. */
  wholePiece: Int32Array;
  updatePiece: Int32Array;
  /** Shared per-cell blocks, for a table whose areas work by cells. */
  cells: CellBlocks | null;
}

export interface FrameTarget {
  /** Sends one client's assembled frame (`reset`: a resync carrying the client's whole state). */
  sendDelta(clientId: number, bytes: Uint8Array, reset: boolean): void;
}

export class DeltaSender implements DeltaSink {
  private readonly pieces = new RowPieceEncoder();
  private readonly assembler = new ClientFrameAssembler(this.pieces);
  private readonly codecs: (TableCodec | null)[];
  private readonly next = new SlotReader();
  private readonly prev = new PreviousReader();
  private readonly ins = new HandleList(256);
  private readonly upd = new HandleList(256);
  private readonly del = new HandleList(64);
  private report: TickReport | null = null;
  /** Bytes of TickUpdate frames assembled, for metrics. */
  bytesOut = 0;
  frames = 0;

  constructor(private readonly subs: SubscriptionManager, layouts: readonly TableLayout[], tableCount: number, private readonly target: FrameTarget) {
    this.codecs = new Array(tableCount).fill(null);
    for (const l of layouts) this.codecs[l.id] = { layout: compileLayout(l), wholePiece: new Int32Array(64), updatePiece: new Int32Array(64), cells: null };
  }

  beginTick(report: TickReport): void {
    this.report = report;
    this.pieces.reset();
    const tables = this.subs.world.db.tables;
    for (let id = 0; id < this.codecs.length; id++) {
      const codec = this.codecs[id];
      if (!codec) continue;
      const store = tables[id]!;
      const cd = this.subs.cellData(id);
      if (cd) {
        codec.cells ??= new CellBlocks(this.pieces, codec.layout, cd.grid.cells);
        codec.cells.beginTick(cd, report.tick);
      }
      const list = this.subs.rowsToEncode(id);
      if (list.wholeCount === 0 && list.changeCount === 0) continue;
      if (codec.wholePiece.length < store.capacity) codec.wholePiece = new Int32Array(store.capacity);
      const changes = report.changes.tables[id]!;
      if (codec.updatePiece.length < changes.updated.length) codec.updatePiece = new Int32Array(Math.max(changes.updated.length, codec.updatePiece.length * 2));
      this.next.store = store;
      this.prev.store = store;
      for (let i = 0; i < list.wholeCount; i++) {
        const slot = list.wholeSlots[i]!;
        this.next.slot = slot;
        codec.wholePiece[slot] = this.pieces.encodeRow(codec.layout, this.next);
      }
      for (let i = 0; i < list.changeCount; i++) {
        const k = list.changeIndexes[i]!;
        const slot = changes.updated.ids[k]!;
        this.next.slot = slot;
        this.prev.slot = slot;
        this.prev.mask = changes.updatedMask[k]!;
        codec.updatePiece[k] = this.pieces.encodeUpdate(codec.layout, this.prev.mask, this.next, this.prev);
      }
    }
  }

  clientDelta(delta: ClientDelta): void {
    const report = this.report!;
    const a = this.assembler;
    a.beginTick(report.tick, report.time, delta.reset);
    for (const t of delta.tables) {
      const codec = this.codecs[t.tableIndex];
      if (!codec) continue;
      const ins = this.ins, upd = this.upd, del = this.del;
      ins.clear(); upd.clear(); del.clear();
      for (let i = 0; i < t.leftCount; i++) del.push(t.leftHandles[i]!);
      for (let i = 0; i < t.enteredCount; i++) ins.push(t.enteredHandles[i]!, codec.wholePiece[t.enteredSlots[i]!]!);
      for (let i = 0, k = t.updatedStart; i < t.updatedCount; i++, k++) upd.push(t.updatedHandles[k]!, codec.updatePiece[t.updatedChanges[k]!]!);
      a.addTable(t.tableIndex, ins, upd, del, t.held);
    }
    for (const cd of delta.cellTables) this.codecs[cd.tableIndex]?.cells?.addClient(a, cd, delta.reset);
    if (a.tableCount === 0 && !delta.reset && delta.applied.length === 0) return;
    const bytes = a.finish();
    this.bytesOut += bytes.length;
    this.frames++;
    this.target.sendDelta(delta.clientId, bytes, delta.reset);
  }

  endTick(): void {
    this.report = null;
  }
}
