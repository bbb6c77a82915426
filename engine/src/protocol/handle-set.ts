// The set of handles an updates section refers to, in ascending order, in whichever form is
// smallest: a bitmap, a gap-coded list, a consecutive range, or "every row you hold". The header
// varint is n * 4 + form (see docs/protocol.md "Handle sets").
import type { ByteWriter } from './byte-writer.ts';
import type { ByteReader } from './byte-reader.ts';
import { varintSize } from './byte-writer.ts';
import { ProtocolError } from './errors.ts';

export const SET_BITMAP = 0, SET_LIST = 1, SET_RANGE = 2, SET_ALL = 3;

/** Writes sorted, distinct handles h[0..n) (n ≥ 1). `all`: they are exactly the handles the client
 * holds that this frame neither deletes nor inserts, so one byte says so. */
export function writeHandleSet(w: ByteWriter, h: Int32Array, n: number, all: boolean): void {
  if (all) {
    w.varint(SET_ALL);
    return;
  }
  const first = h[0]!, last = h[n - 1]!;
  if (last - first === n - 1) {
    w.varint(n * 4 + SET_RANGE);
    w.varint(first);
    return;
  }
  const b0 = first >>> 3, nb = (last >>> 3) - b0 + 1;
  const bitmapSize = varintSize(nb * 4) + varintSize(b0) + nb;
  let listSize = varintSize(n * 4 + SET_LIST) + varintSize(first);
  for (let i = 1; i < n && listSize < bitmapSize; i++) listSize += varintSize(h[i]! - h[i - 1]! - 1);
  if (listSize < bitmapSize) {
    w.varint(n * 4 + SET_LIST);
    w.varint(first);
    for (let i = 1; i < n; i++) w.varint(h[i]! - h[i - 1]! - 1);
    return;
  }
  w.varint(nb * 4 + SET_BITMAP);
  w.varint(b0);
  w.ensure(nb);
  const buf = w.buf, base = w.pos;
  buf.fill(0, base, base + nb);
  for (let i = 0; i < n; i++) {
    const x = h[i]!;
    buf[base + (x >>> 3) - b0]! |= 1 << (x & 7);
  }
  w.pos = base + nb;
}

/** Where readHandleSet puts handles (the array is replaced when it must grow). */
export interface HandleBuffer {
  handles: Int32Array;
}

function room(out: HandleBuffer, n: number): Int32Array {
  if (out.handles.length < n) out.handles = new Int32Array(Math.max(n, out.handles.length * 2));
  return out.handles;
}

/** Reads a handle set into `out.handles`; returns the count, or -1 for "every row you hold" (the
 * caller enumerates those). Handles are below `maxHandles`, ascending and distinct; the work done
 * is bounded by the bytes read (ranges: by maxHandles). */
export function readHandleSet(r: ByteReader, out: HandleBuffer, maxHandles: number): number {
  const header = r.varint();
  const form = header % 4, n = (header - form) / 4;
  if (form === SET_ALL) {
    if (n !== 0) throw new ProtocolError('BAD_VALUE', `handle set form "all" with count ${n}`);
    return -1;
  }
  const first = r.varint();
  const tooBig = (h: number): never => {
    throw new ProtocolError('BAD_HANDLE', `handle ${h} is not below the limit ${maxHandles}`);
  };
  if (form === SET_RANGE) {
    if (n === 0 || first + n > maxHandles) tooBig(first + n - 1);
    const hs = room(out, n);
    for (let i = 0; i < n; i++) hs[i] = first + i;
    return n;
  }
  if (form === SET_LIST) {
    if (n === 0 || n > r.remaining + 1) throw new ProtocolError('TRUNCATED', `handle list of ${n} entries is longer than its section`);
    const hs = room(out, n);
    let h = first;
    if (h >= maxHandles) tooBig(h);
    hs[0] = h;
    for (let i = 1; i < n; i++) {
      h += r.varint() + 1;
      if (h >= maxHandles) tooBig(h);
      hs[i] = h;
    }
    return n;
  }
  // SET_BITMAP
  if (n === 0) throw new ProtocolError('BAD_VALUE', 'empty handle bitmap');
  if ((first + n) * 8 > maxHandles + 7) tooBig((first + n) * 8 - 1);
  const bytes = r.bytes(n);
  const hs = room(out, n * 8);
  let count = 0;
  for (let j = 0; j < n; j++) {
    let v = bytes[j]!;
    while (v !== 0) {
      const bit = 31 - Math.clz32(v & -v);
      v &= v - 1;
      const h = (first + j) * 8 + bit;
      if (h >= maxHandles) tooBig(h);
      hs[count++] = h;
    }
  }
  if (count === 0) throw new ProtocolError('BAD_VALUE', 'empty handle bitmap');
  return count;
}
