// A non-negative int -> int map in one Int32Array of [key, value] pairs (open addressing, linear
// probing, backward-shift delete): one per client view maps row id -> handle, with no per-entry
// objects, no tombstones, and a probe that usually touches a single cache line.

const EMPTY = -1;
const GOLDEN = 0x9e3779b1;

export class IntMap {
  /** [key, value] pairs; key EMPTY marks a free slot. */
  private kv: Int32Array;
  private mask: number;
  /** Hash = top bits of key * golden ratio (the low bits of a product mix poorly). */
  private shift: number;
  size = 0;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.kv = new Int32Array(cap * 2).fill(EMPTY);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** The value for `key`, or -1. */
  get(key: number): number {
    const kv = this.kv, mask = this.mask;
    let i = Math.imul(key, GOLDEN) >>> this.shift;
    for (;;) {
      const k = kv[i * 2]!;
      if (k === key) return kv[i * 2 + 1]!;
      if (k === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Sets `key` (>= 0) to `value`. */
  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    const kv = this.kv, mask = this.mask;
    let i = Math.imul(key, GOLDEN) >>> this.shift;
    for (;;) {
      const k = kv[i * 2]!;
      if (k === key) { kv[i * 2 + 1] = value; return; }
      if (k === EMPTY) { kv[i * 2] = key; kv[i * 2 + 1] = value; this.size++; return; }
      i = (i + 1) & mask;
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: number): boolean {
    const kv = this.kv, mask = this.mask, shift = this.shift;
    let i = Math.imul(key, GOLDEN) >>> shift;
    for (;;) {
      const k = kv[i * 2]!;
      if (k === EMPTY) return false;
      if (k === key) break;
      i = (i + 1) & mask;
    }
    // Shift later entries of the probe run back, so lookups never stop early at the hole.
    let hole = i;
    let j = (i + 1) & mask;
    for (;;) {
      const k = kv[j * 2]!;
      if (k === EMPTY) break;
      const home = Math.imul(k, GOLDEN) >>> shift;
      // Move k into the hole when its home is not cyclically within (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        kv[hole * 2] = k;
        kv[hole * 2 + 1] = kv[j * 2 + 1]!;
        hole = j;
      }
      j = (j + 1) & mask;
    }
    kv[hole * 2] = EMPTY;
    this.size--;
    return true;
  }

  clear(): void {
    if (this.size === 0) return;
    this.kv.fill(EMPTY);
    this.size = 0;
  }

  /** Calls fn(key, value) for every entry (tests and tooling). */
  forEach(fn: (key: number, value: number) => void): void {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] !== EMPTY) fn(kv[i]!, kv[i + 1]!);
  }

  memoryBytes(): number {
    return this.kv.byteLength;
  }

  /** Re-inserts everything into `cap` slots (a power of two). */
  private rehash(cap: number): void {
    const old = this.kv;
    this.kv = new Int32Array(cap * 2).fill(EMPTY);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.set(old[i]!, old[i + 1]!);
  }
}
