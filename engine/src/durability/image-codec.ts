// Turns a world image (plain objects, arrays, Maps, typed arrays) into a small msgpack skeleton plus
// the raw bytes of every typed array, so columns are written and read back without per-row work.

import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';

const EXT_ARRAY = 0;
const EXT_MAP = 1;

const KINDS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;
const KIND_ARRAYBUFFER = 254;

type AnyTypedArray = InstanceType<(typeof KINDS)[number]>;

/** Encoding collects blobs and their body offsets; decoding reads them from `body`. */
interface Ctx {
  blobs: Uint8Array[];
  offset: number;
  body: Uint8Array;
}

export const align8 = (n: number): number => (n + 7) & ~7;

function kindOf(v: unknown): number {
  for (let i = 0; i < KINDS.length; i++) if (v instanceof KINDS[i]) return i;
  return -1;
}

const codec = new ExtensionCodec<Ctx>();

codec.register({
  type: EXT_ARRAY,
  encode(v, ctx) {
    const isBuffer = v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);
    const kind = isBuffer ? KIND_ARRAYBUFFER : kindOf(v);
    if (kind < 0) return null;
    const c = ctx;
    const bytes = isBuffer ? new Uint8Array(v as ArrayBufferLike) : new Uint8Array((v as AnyTypedArray).buffer, (v as AnyTypedArray).byteOffset, (v as AnyTypedArray).byteLength);
    const shared = typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
    const data = new Uint8Array(18);
    const dv = new DataView(data.buffer);
    dv.setUint8(0, kind);
    dv.setUint8(1, shared ? 1 : 0);
    dv.setFloat64(2, c.offset, true);
    dv.setFloat64(10, bytes.byteLength, true);
    c.blobs.push(bytes);
    c.offset = align8(c.offset + bytes.byteLength);
    return data;
  },
  decode(data, _type, ctx) {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const kind = dv.getUint8(0);
    const shared = dv.getUint8(1) === 1;
    const offset = dv.getFloat64(2, true);
    const byteLength = dv.getFloat64(10, true);
    const body = ctx.body;
    if (offset + byteLength > body.byteLength) throw new RangeError('image blob outside the snapshot body');
    const src = body.subarray(offset, offset + byteLength);
    // Shared columns get a fresh SharedArrayBuffer; others stay views over the file's bytes (no copy).
    let buffer: ArrayBufferLike;
    let start: number;
    if (shared) {
      buffer = new SharedArrayBuffer(byteLength);
      new Uint8Array(buffer).set(src);
      start = 0;
    } else {
      buffer = body.buffer;
      start = body.byteOffset + offset;
    }
    if (kind === KIND_ARRAYBUFFER) return shared ? buffer : body.buffer.slice(start, start + byteLength);
    const Ctor = KINDS[kind];
    if (Ctor === undefined) throw new RangeError(`unknown typed array kind ${kind}`);
    return new Ctor(buffer as ArrayBuffer, start, byteLength / Ctor.BYTES_PER_ELEMENT);
  },
});

codec.register({
  type: EXT_MAP,
  encode(v, ctx) {
    if (!(v instanceof Map)) return null;
    return new Encoder<Ctx>({ extensionCodec: codec, useBigInt64: true, context: ctx }).encode([...v.entries()]);
  },
  decode(data, _type, ctx) {
    const entries = new Decoder<Ctx>({ extensionCodec: codec, useBigInt64: true, context: ctx }).decode(data) as [unknown, unknown][];
    return new Map(entries);
  },
});

export interface EncodedImage {
  skeleton: Uint8Array;
  /** Raw bytes of each typed array, in body order; each starts at an 8-aligned body offset. */
  blobs: Uint8Array[];
  bodyBytes: number;
}

export function encodeImage(image: unknown): EncodedImage {
  const ctx: Ctx = { blobs: [], offset: 0, body: new Uint8Array(0) };
  const skeleton = new Encoder<Ctx>({ extensionCodec: codec, useBigInt64: true, context: ctx }).encode(image);
  return { skeleton, blobs: ctx.blobs, bodyBytes: ctx.offset };
}

/** `body` must start at an 8-aligned offset of its ArrayBuffer so typed views line up. */
export function decodeImage(skeleton: Uint8Array, body: Uint8Array): unknown {
  return new Decoder<Ctx>({ extensionCodec: codec, useBigInt64: true, context: { blobs: [], offset: 0, body } }).decode(skeleton);
}
