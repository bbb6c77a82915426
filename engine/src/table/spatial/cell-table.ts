// Open-addressing hash table from a grid cell (cx, cy) to the head of that cell's id list, stored
// interleaved in one Int32Array so a probe touches one cache line. Cells are never deleted one by
// one; the owner drops empty cells when it rebuilds the table (see GridIndex.rehash).

/** Cell coordinates are clamped to ±CELL_LIMIT, so EMPTY_KEY can never be a real cell. */
export const CELL_LIMIT = 2 ** 30 - 1;
const EMPTY_KEY = -(2 ** 31);
/** Slot layout: [cx, cy, head]. */
export const STRIDE = 3;
export const ABSENT = -1;

export class CellTable {
  /** Interleaved slots; a cell's base offset is what ids store. */
  readonly cells: Int32Array;
  readonly mask: number;
  /** Slots in use, including cells whose list has become empty. */
  used = 0;

  constructor(capacity: number) {
    this.mask = capacity - 1;
    this.cells = new Int32Array(capacity * STRIDE);
    for (let b = 0; b < this.cells.length; b += STRIDE) {
      this.cells[b] = EMPTY_KEY;
      this.cells[b + 2] = ABSENT;
    }
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Base offset of cell (cx, cy), or ABSENT if the table holds no such cell. */
  find(cx: number, cy: number): number {
    const cells = this.cells, mask = this.mask;
    for (let s = hash(cx, cy) & mask; ; s = (s + 1) & mask) {
      const b = s * STRIDE, k = cells[b];
      if (k === cx && cells[b + 1] === cy) return b;
      if (k === EMPTY_KEY) return ABSENT;
    }
  }

  /** Base offset of cell (cx, cy), claiming a slot for it if needed. The owner keeps used <= capacity/2. */
  add(cx: number, cy: number): number {
    const cells = this.cells, mask = this.mask;
    for (let s = hash(cx, cy) & mask; ; s = (s + 1) & mask) {
      const b = s * STRIDE, k = cells[b];
      if (k === cx && cells[b + 1] === cy) return b;
      if (k === EMPTY_KEY) {
        cells[b] = cx;
        cells[b + 1] = cy;
        this.used++;
        return b;
      }
    }
  }

  /** True if slot base `b` holds a cell (empty list or not). */
  isCell(b: number): boolean {
    return this.cells[b] !== EMPTY_KEY;
  }
}

/** Cell coordinate of a world coordinate: clamped so huge values share the outermost cell, NaN included. */
export function cellCoord(v: number, inv: number): number {
  const c = Math.floor(v * inv);
  if (!(c >= -CELL_LIMIT)) return -CELL_LIMIT;
  return c > CELL_LIMIT ? CELL_LIMIT : c;
}

function hash(cx: number, cy: number): number {
  let h = Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

export function nextPow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}
