// Mixing functions for the incremental world hash and string content hashes.

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
