// Typed-array storage for one column: a SharedArrayBuffer-backed array per column (struct of arrays),
// so worker threads and the snapshot writer can read columns without copying row objects.
import type { ColumnKind } from '../schema/column.ts';

export type ColumnArray =
  | Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

type ArrayCtor = { new (buf: SharedArrayBuffer | ArrayBuffer, offset?: number, length?: number): ColumnArray; BYTES_PER_ELEMENT: number };

const CTORS: Record<ColumnKind, ArrayCtor> = {
  u8: Uint8Array, u16: Uint16Array, u32: Uint32Array,
  i8: Int8Array, i16: Int16Array, i32: Int32Array,
  f32: Float32Array, f64: Float64Array,
  bool: Uint8Array, enum: Uint8Array,
  // Variable-size values live in pools; the column holds their pool ids.
  string: Uint32Array, identity: Uint32Array, bytes: Uint32Array,
};

export function bytesPerValue(kind: ColumnKind): number {
  return CTORS[kind].BYTES_PER_ELEMENT;
}

export function allocColumn(kind: ColumnKind, capacity: number): ColumnArray {
  const ctor = CTORS[kind];
  return new ctor(new SharedArrayBuffer(capacity * ctor.BYTES_PER_ELEMENT));
}

/** Doubling growth copies the live prefix into a new shared buffer. */
export function growColumn(kind: ColumnKind, old: ColumnArray, capacity: number, live: number): ColumnArray {
  const next = allocColumn(kind, capacity);
  next.set(old.subarray(0, live) as never);
  return next;
}

/** A non-shared array of the same kind as `like` (scratch copies). */
export function allocPlain(like: ColumnArray, capacity: number): ColumnArray {
  const ctor = like.constructor as ArrayCtor;
  return new ctor(new ArrayBuffer(capacity * ctor.BYTES_PER_ELEMENT));
}
