// Writes one table block of a `rows` vector (docs/protocol.md, "Row codec") from pieces a
// RowPieceEncoder already holds. A server encodes such a block once per map cell and tick and copies
// it into the frame of every client that sees the cell: since protocol 2 a table may appear in
// several blocks of one frame.
import { ByteWriter } from './byte-writer.ts';
import { ProtocolError } from './errors.ts';
import { writeHandleSet } from './handle-set.ts';
import type { RowPieceEncoder } from './row-piece-encoder.ts';

export class TableBlockWriter {
  private readonly sec = new ByteWriter(1024);
  private h = new Int32Array(64);
  private p = new Int32Array(64);

  constructor(private readonly pieces: RowPieceEncoder) {}

  /** Appends the block to `out`; returns false (writing nothing) when it would be empty.
   * Deletes: handles. Inserts: handles with whole-row pieces. Updates: handles with update pieces,
   * in any order; pieces < 0 (nothing visible changed) are skipped. */
  write(
    out: ByteWriter, tableId: number,
    delH: Int32Array, nd: number,
    insH: Int32Array, insP: Int32Array, ni: number,
    updH: Int32Array, updP: Int32Array, nu: number,
  ): boolean {
    const n = this.sortUpdates(updH, updP, nu);
    return this.writeSorted(out, tableId, delH, nd, insH, insP, ni, this.h, this.p, n, false);
  }

  /** Like write(), with updates already valid and ascending by handle. `all`: they are exactly the
   * rows the client holds that this frame neither deletes nor inserts (a one-byte handle set). */
  writeSorted(
    out: ByteWriter, tableId: number,
    delH: Int32Array, nd: number,
    insH: Int32Array, insP: Int32Array, ni: number,
    h: Int32Array, p: Int32Array, n: number, all: boolean,
  ): boolean {
    if (nd === 0 && ni === 0 && n === 0) return false;
    const pc = this.pieces, src = pc.writer.buf, s = this.sec;
    out.varint(tableId);
    if (nd === 0) out.u8(0);
    else {
      s.reset();
      for (let i = 0; i < nd; i++) s.varint(delH[i]!);
      this.flush(out);
    }
    if (ni === 0) out.u8(0);
    else {
      s.reset();
      for (let i = 0; i < ni; i++) {
        const piece = insP[i]!;
        if (piece < 0 || piece >= pc.pieceCount) throw new ProtocolError('BAD_VALUE', `insert of handle ${insH[i]} has no row piece (${piece})`);
        s.varint(insH[i]!);
        s.bytes(src, pc.pieceStart(piece), pc.pieceEnd(piece));
      }
      this.flush(out);
    }
    if (n === 0) out.u8(0);
    else {
      s.reset();
      writeHandleSet(s, h, n, all);
      let i = 0;
      while (i < n) {
        const mask = pc.pieceMask(p[i]!);
        let j = i + 1;
        while (j < n && pc.pieceMask(p[j]!) === mask) j++;
        s.varint(mask);
        s.varint(j - i);
        for (; i < j; i++) s.bytes(src, pc.pieceStart(p[i]!), pc.pieceEnd(p[i]!));
      }
      this.flush(out);
    }
    return true;
  }

  private flush(out: ByteWriter): void {
    const s = this.sec;
    out.varint(s.pos);
    out.bytes(s.buf, 0, s.pos);
  }

  /** Valid updates into h / p, ascending by handle (insertion sort: a block holds a few rows). */
  private sortUpdates(updH: Int32Array, updP: Int32Array, nu: number): number {
    if (this.h.length < nu) { this.h = new Int32Array(nu * 2); this.p = new Int32Array(nu * 2); }
    const h = this.h, p = this.p, count = this.pieces.pieceCount;
    let n = 0;
    for (let i = 0; i < nu; i++) {
      const piece = updP[i]!;
      if (piece < 0) continue;
      if (piece >= count) throw new ProtocolError('BAD_VALUE', `update of handle ${updH[i]} names piece ${piece}, which does not exist`);
      const hv = updH[i]!;
      let k = n++;
      while (k > 0 && h[k - 1]! > hv) { h[k] = h[k - 1]!; p[k] = p[k - 1]!; k--; }
      if (k > 0 && h[k - 1] === hv) throw new ProtocolError('BAD_HANDLE', `handle ${hv} has two updates in one block`);
      h[k] = hv;
      p[k] = piece;
    }
    return n;
  }
}
