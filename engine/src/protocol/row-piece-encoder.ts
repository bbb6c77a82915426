// Encodes each row change once per tick for every viewer: whole rows (for clients the row enters)
// and update pieces (changed columns only), all into one reused growable buffer. A piece is an id
// into a table of (start, end, mask); ClientFrameAssembler copies pieces into per-client frames.
import { ByteWriter } from './byte-writer.ts';
import { writeWhole, writeChange } from './row-values.ts';
import type { CompiledLayout } from './layout.ts';
import type { RowReader } from './row-reader.ts';

export class RowPieceEncoder {
  /** The bytes of every piece of this tick; `pieceStart/End` index into `writer.buf`. */
  readonly writer: ByteWriter;
  private meta: Int32Array;
  private count = 0;

  constructor(initialBytes = 64 * 1024) {
    this.writer = new ByteWriter(initialBytes);
    this.meta = new Int32Array(3 * 1024);
  }

  /** Forgets all pieces (call once per tick, after every client frame of the tick is assembled). */
  reset(): void {
    this.writer.reset();
    this.count = 0;
  }

  get pieceCount(): number {
    return this.count;
  }

  pieceStart(id: number): number {
    return this.meta[id * 3]!;
  }

  pieceEnd(id: number): number {
    return this.meta[id * 3 + 1]!;
  }

  /** The columns an update piece carries (0 for whole rows). */
  pieceMask(id: number): number {
    return this.meta[id * 3 + 2]! >>> 0;
  }

  /** Encodes every column of a row, for clients the row enters this tick. Returns the piece id. */
  encodeRow(L: CompiledLayout, row: RowReader): number {
    const w = this.writer;
    const start = w.pos;
    for (let c = 0; c < L.ncols; c++) writeWhole(w, L, c, row.read(c));
    return this.add(start, w.pos, 0);
  }

  /** Encodes the columns in `mask` (the change set's changed-column mask) of an updated row.
   * `next` reads the row now; `prev` reads the values clients hold (the row as of the previous
   * published tick) and is consulted only for 16/32-bit integer, quantized float and bool columns.
   * Those columns are dropped from the piece when clients would see no change (e.g. a move smaller
   * than the quantization step); the primary key never changes and is ignored.
   * Returns the piece id, or -1 when nothing visible changed (send nothing for this row). */
  encodeUpdate(L: CompiledLayout, mask: number, next: RowReader, prev: RowReader): number {
    const w = this.writer;
    const start = w.pos;
    let sent = 0;
    for (let m = mask & L.fullMask & ~(1 << L.pkIndex); m !== 0; m &= m - 1) {
      const c = 31 - Math.clz32(m & -m);
      if (writeChange(w, L, c, next.read(c), prev)) sent |= 1 << c;
    }
    if (sent === 0) {
      w.pos = start;
      return -1;
    }
    return this.add(start, w.pos, sent);
  }

  private add(start: number, end: number, mask: number): number {
    const id = this.count++;
    if (id * 3 + 3 > this.meta.length) {
      const next = new Int32Array(this.meta.length * 2);
      next.set(this.meta);
      this.meta = next;
    }
    this.meta[id * 3] = start;
    this.meta[id * 3 + 1] = end;
    this.meta[id * 3 + 2] = mask;
    return id;
  }
}
