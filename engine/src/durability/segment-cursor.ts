// Sequential reader of one segment file: reads in large chunks and hands out record frames, checking
// each frame's length and checksum. Frames before the wanted tick can be skipped without a checksum.

import fs from 'node:fs';
import { FRAME_HEADER_BYTES, MAX_RECORD_BYTES, MIN_PAYLOAD_BYTES, checkFrame, peekTick } from './record-codec.ts';
import { decodeSegmentHeader, type SegmentHeader } from './segment-format.ts';

const CHUNK = 4 * 1024 * 1024;

export type CursorStep =
  | { kind: 'frame'; offset: number; end: number; tick: number; payload: Uint8Array }
  | { kind: 'end' }
  | { kind: 'bad'; offset: number; reason: 'incomplete' | 'bad-length' | 'bad-crc' };

export class SegmentCursor {
  readonly header: SegmentHeader | undefined;
  readonly headerError: string | undefined;
  readonly headerSize: number;
  private readonly fd: number;
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private pos = 0;

  /** `limit` bounds the bytes considered (e.g. only what the writer has confirmed). */
  constructor(
    readonly file: string,
    private readonly limit: number = fs.statSync(file).size,
  ) {
    this.fd = fs.openSync(file, 'r');
    const head = this.window(0, Math.min(this.limit, 65536 + 32), 65536 + 32);
    const check = decodeSegmentHeader(head);
    if (check.ok) {
      this.header = check.header;
      this.headerSize = check.size;
      this.pos = check.size;
    } else {
      this.headerError = check.reason;
      this.headerSize = 0;
    }
  }

  get size(): number {
    return this.limit;
  }

  /** Offset of the next frame. */
  get offset(): number {
    return this.pos;
  }

  /** Continues at `offset`, which must be the start of a frame (from a SeekIndex). */
  seek(offset: number): void {
    if (this.header !== undefined && offset >= this.headerSize && offset <= this.limit) this.pos = offset;
  }

  /** Returns bytes [off, off+n) of the file (fewer at the end), reading a new chunk if needed. */
  private window(off: number, n: number, chunk = CHUNK): Buffer {
    const want = Math.min(n, this.limit - off);
    if (off >= this.bufStart && off + want <= this.bufStart + this.buf.length)
      return this.buf.subarray(off - this.bufStart, off - this.bufStart + want);
    const size = Math.max(chunk, want);
    // A fresh ArrayBuffer per chunk: frames handed out earlier keep pointing at their own bytes.
    const buf = Buffer.from(new ArrayBuffer(Math.min(size, this.limit - off)));
    let got = 0;
    while (got < buf.length) {
      const r = fs.readSync(this.fd, buf, got, buf.length - got, off + got);
      if (r === 0) break;
      got += r;
    }
    this.buf = buf.subarray(0, got);
    this.bufStart = off;
    return this.buf.subarray(0, Math.min(want, got));
  }

  /** The next frame. Frames for ticks below `verifyFrom` skip the checksum: the caller only steps
   * over them to reach a later tick. */
  next(verifyFrom = -Infinity): CursorStep {
    if (this.header === undefined) return { kind: 'bad', offset: 0, reason: 'bad-length' };
    if (this.pos >= this.limit) return { kind: 'end' };
    const head = this.window(this.pos, FRAME_HEADER_BYTES);
    if (head.length < FRAME_HEADER_BYTES) return { kind: 'bad', offset: this.pos, reason: 'incomplete' };
    const len = head.readUInt32LE(0);
    if (len < MIN_PAYLOAD_BYTES || len > MAX_RECORD_BYTES) return { kind: 'bad', offset: this.pos, reason: 'bad-length' };
    const frame = this.window(this.pos, FRAME_HEADER_BYTES + len);
    if (frame.length < FRAME_HEADER_BYTES + len) return { kind: 'bad', offset: this.pos, reason: 'incomplete' };
    const tick = peekTick(frame, FRAME_HEADER_BYTES);
    if (tick >= verifyFrom) {
      const c = checkFrame(frame, 0, frame.length);
      if (!c.ok) return { kind: 'bad', offset: this.pos, reason: c.reason };
    }
    const offset = this.pos;
    this.pos += FRAME_HEADER_BYTES + len;
    return { kind: 'frame', offset, end: this.pos, tick, payload: frame.subarray(FRAME_HEADER_BYTES) };
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
