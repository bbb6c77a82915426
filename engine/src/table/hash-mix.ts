// Mixing functions for the incremental world hash. The world hash is the sum (mod 2^32, two lanes)
// of one mixed word per cell, so a write adjusts it in O(1): subtract the old cell, add the new one.

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string, lane: number): number {
  let h = lane === 0 ? 0x811c9dc5 : 0x9747b28c;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h ^ s.length);
}

export function hashBytes(b: Uint8Array, lane: number): number {
  let h = lane === 0 ? 0x811c9dc5 : 0x9747b28c;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return fmix32(h ^ b.length);
}

/** One cell's contribution to lane 0 / lane 1. `col` is tableIndex * 32 + columnIndex. */
export function cellLo(col: number, keyLo: number, lo: number, hi: number): number {
  return fmix32((lo ^ Math.imul(hi, 0x27d4eb2f) ^ Math.imul(keyLo, 0x165667b1) ^ Math.imul(col + 1, 0x9e3779b1)) >>> 0);
}
export function cellHi(col: number, keyHi: number, lo: number, hi: number): number {
  return fmix32((Math.imul(lo, 0x85ebca77) ^ hi ^ Math.imul(keyHi, 0xc2b2ae3d) ^ Math.imul(col + 7, 0x61c88647)) >>> 0);
}

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32w = new Uint32Array(f32.buffer);

/** Bit patterns of numbers, so 0.1 + 0.2 and 0.3 hash differently and -0 differs from 0. */
export function f64Lo(v: number): number { f64[0] = v; return f64w[0]!; }
export function f64Hi(v: number): number { f64[0] = v; return f64w[1]!; }
export function f32Bits(v: number): number { f32[0] = v; return f32w[0]!; }
