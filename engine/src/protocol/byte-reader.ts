// Bounds-checked reader for untrusted row-codec bytes: every read checks the end first and throws a
// ProtocolError, so garbage input can neither read out of range nor loop.
import { ProtocolError } from './errors.ts';

const decoder = new TextDecoder();

export class ByteReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  private view: DataView = new DataView(new ArrayBuffer(8));

  /** Points the reader at bytes [0, bytes.length) of `bytes`. */
  reset(bytes: Uint8Array): this {
    this.buf = bytes;
    this.pos = 0;
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private truncated(what: string): never {
    throw new ProtocolError('TRUNCATED', `row data ends inside ${what} at byte ${this.pos} of ${this.end}`);
  }

  u8(): number {
    if (this.pos >= this.end) this.truncated('a byte');
    return this.buf[this.pos++]!;
  }

  /** Unsigned LEB128 up to 2^53 - 1 (8 bytes); longer or larger encodings are rejected. */
  varint(): number {
    const b = this.buf;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) this.truncated('a varint');
      const byte = b[this.pos++]!;
      result += (byte & 0x7f) * mul;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) break;
        return result;
      }
      mul *= 0x80;
    }
    throw new ProtocolError('BAD_VALUE', `varint at byte ${this.pos} is longer than 8 bytes or above 2^53`);
  }

  zigzag(): number {
    const z = this.varint();
    if (z < 0x80000000) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f32(): number {
    if (this.end - this.pos < 4) this.truncated('an f32');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    if (this.end - this.pos < 8) this.truncated('an f64');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A view of the next `n` bytes (not a copy). */
  bytes(n: number): Uint8Array {
    if (this.end - this.pos < n) this.truncated(`${n} bytes`);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  utf8(n: number): string {
    if (this.end - this.pos < n) this.truncated(`a ${n}-byte string`);
    const start = this.pos;
    this.pos += n;
    return decoder.decode(this.buf.subarray(start, start + n));
  }
}
