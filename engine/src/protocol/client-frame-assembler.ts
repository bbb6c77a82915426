// Assembles one client's TickUpdate (or SubscriptionApplied) from pieces already encoded by a
// RowPieceEncoder: per table it writes the client's handles and copies the piece bytes, so the
// per-client cost is a few varints and memcpys per visible change, never a re-encode of a row.
import * as flatbuffers from 'flatbuffers';
import * as fb from './generated/frames-generated.ts';
import { ByteWriter } from './byte-writer.ts';
import { ProtocolError } from './errors.ts';
import { PROTOCOL_VERSION } from './limits.ts';
import { TableBlockWriter } from './table-block-writer.ts';
import { tickUpdateBody } from './frame-encoder.ts';
import type { RowPieceEncoder } from './row-piece-encoder.ts';
import type { HandleList } from './handles.ts';

const KEY_SHIFT = 2 ** 24; // sort key = handle * 2^24 + position (handles and list lengths < 2^24)
const NONE = new Int32Array(0);

export class ClientFrameAssembler {
  readonly builder: flatbuffers.Builder;
  /** The frame's `rows` bytes, built table by table. */
  private readonly rows = new ByteWriter(4096);
  /** Writes each table's block into `rows`. */
  private readonly blocks: TableBlockWriter;
  private kind: 0 | 1 | 2 = 0; // none | tick update | subscription applied
  private tick = 0;
  private time = 0;
  private reset = false;
  private queryId = 0;
  private tables = 0;
  private sortKeys = new Float64Array(256);
  private sortedHandles = new Int32Array(256);
  private sortedPieces = new Int32Array(256);

  constructor(private readonly pieces: RowPieceEncoder, initialBytes = 16 * 1024) {
    this.builder = new flatbuffers.Builder(initialBytes);
    this.blocks = new TableBlockWriter(pieces);
  }

  /** Starts a TickUpdate. `reset` (resync): the client drops all its rows first; send only inserts. */
  beginTick(tick: number, time: number, reset = false): void {
    this.begin(1);
    this.tick = tick;
    this.time = time;
    this.reset = reset;
  }

  /** Starts a SubscriptionApplied carrying the rows new to the client for `queryId`. */
  beginSubscriptionApplied(queryId: number, tick: number): void {
    this.begin(2);
    this.queryId = queryId;
    this.tick = tick;
  }

  private begin(kind: 1 | 2): void {
    this.rows.reset();
    this.tables = 0;
    this.kind = kind;
  }

  /** Adds one table's changes for this client; tables with nothing to send are left out.
   * - inserts: (handle, whole-row piece) for rows entering the client's view;
   * - updates: (handle, update piece) in any order, each handle at most once; pieces < 0 (the
   *   encoder's "nothing visible changed") are skipped;
   * - deletes: handles leaving (pieces ignored). A handle may be deleted and inserted again in the
   *   same frame (free-list reuse).
   * - heldRows (optional): how many rows of this table the client holds after this frame. With it
   *   the assembler can say "every row you hold changed" in one byte instead of a handle set. */
  addTable(tableId: number, inserts: HandleList | null, updates: HandleList | null, deletes: HandleList | null, heldRows = -1): void {
    if (this.kind === 0) throw new ProtocolError('BAD_VALUE', 'ClientFrameAssembler.addTable before beginTick/beginSubscriptionApplied');
    const nDel = deletes ? deletes.length : 0, nIns = inserts ? inserts.length : 0;
    const nUpd = updates && updates.length > 0 ? this.sortUpdates(updates) : 0;
    const all = heldRows >= 0 && nUpd > 0 && nUpd === heldRows - nIns;
    const wrote = this.blocks.writeSorted(
      this.rows, tableId, deletes ? deletes.handles : NONE, nDel, inserts ? inserts.handles : NONE, inserts ? inserts.pieces : NONE, nIns,
      this.sortedHandles, this.sortedPieces, nUpd, all,
    );
    if (wrote) this.tables++;
  }

  /** Appends `count` table blocks encoded earlier (e.g. one shared block per map cell; protocol 2
   * lets a table appear in several blocks of a frame). */
  addBlocks(src: Uint8Array, start: number, end: number, count: number): void {
    if (this.kind === 0) throw new ProtocolError('BAD_VALUE', 'ClientFrameAssembler.addBlocks before beginTick/beginSubscriptionApplied');
    if (end <= start) return;
    this.rows.bytes(src, start, end);
    this.tables += count;
  }

  /** Tables added so far that had something to send. */
  get tableCount(): number {
    return this.tables;
  }

  /** Finishes the frame. The result is a view into this assembler's buffer, valid until the next
   * begin call: send it (sockets copy) or copy it. */
  finish(): Uint8Array {
    const b = this.builder;
    b.clear();
    const rows = b.createByteVector(this.rows.buf.subarray(0, this.rows.pos));
    let body: number, type: fb.FrameBody;
    if (this.kind === 1) {
      body = tickUpdateBody(b, this.tick, this.time, rows, this.reset);
      type = fb.FrameBody.TickUpdate;
    } else if (this.kind === 2) {
      body = fb.SubscriptionApplied.createSubscriptionApplied(b, this.queryId, this.tick, rows);
      type = fb.FrameBody.SubscriptionApplied;
    } else {
      throw new ProtocolError('BAD_VALUE', 'ClientFrameAssembler.finish before beginTick/beginSubscriptionApplied');
    }
    this.kind = 0;
    fb.Frame.startFrame(b);
    fb.Frame.addBody(b, body);
    fb.Frame.addVersion(b, PROTOCOL_VERSION);
    fb.Frame.addBodyType(b, type);
    b.finish(fb.Frame.endFrame(b));
    return b.asUint8Array();
  }

  /** Copies the list's valid entries into sortedHandles/sortedPieces in ascending handle order. */
  private sortUpdates(list: HandleList): number {
    const len = list.length;
    if (this.sortKeys.length < len) {
      const cap = Math.max(len, this.sortKeys.length * 2);
      this.sortKeys = new Float64Array(cap);
      this.sortedHandles = new Int32Array(cap);
      this.sortedPieces = new Int32Array(cap);
    }
    const keys = this.sortKeys, hs = this.sortedHandles, ps = this.sortedPieces;
    const count = this.pieces.pieceCount;
    let n = 0, sorted = true, prev = -1;
    for (let i = 0; i < len; i++) {
      const piece = list.pieces[i]!;
      if (piece < 0) continue;
      if (piece >= count) throw new ProtocolError('BAD_VALUE', `update of handle ${list.handles[i]} names piece ${piece}, which does not exist`);
      const handle = list.handles[i]!;
      if (handle <= prev) sorted = false;
      prev = handle;
      hs[n] = handle;
      ps[n] = piece;
      keys[n++] = handle * KEY_SHIFT + i;
    }
    if (!sorted) {
      keys.subarray(0, n).sort();
      for (let k = 0; k < n; k++) {
        const key = keys[k]!;
        const i = key % KEY_SHIFT;
        hs[k] = (key - i) / KEY_SHIFT;
        ps[k] = list.pieces[i]!;
      }
    }
    for (let k = 1; k < n; k++) {
      if (hs[k] === hs[k - 1]) throw new ProtocolError('BAD_HANDLE', `handle ${hs[k]} has two updates in one frame`);
    }
    return n;
  }
}
