// Points sorted by grid cell into one contiguous array (compressed sparse rows), rebuilt in O(n)
// when its points changed. Cells are row-major, so the cells of one grid row within [cx0, cx1] are a
// single contiguous run of entries: a radius scan reads a handful of runs instead of chasing
// per-cell objects (each a cache miss). An entry is [x, y, id, ...extras] (stride 3 + extras).

export class CellIndex {
  cellSize: number;
  inv: number;
  /** Cell-coordinate origin and size of the laid-out rectangle. */
  ox = 0;
  oy = 0;
  w = 0;
  h = 0;
  /** start[c] .. start[c + 1]: entries of cell c (row-major); start[w * h] = first overflow entry. */
  start: Int32Array = new Int32Array(1);
  data: Float64Array = new Float64Array(0);
  n = 0;
  private cellOf: Int32Array = new Int32Array(0);

  readonly stride: number;

  constructor(private readonly baseCellSize: number, private readonly extras: number, private readonly maxCells = 1 << 22) {
    this.stride = 3 + extras;
    this.cellSize = baseCellSize;
    this.inv = 1 / baseCellSize;
  }

  /** Entries past the grid (non-finite positions): scanned by every query. */
  get overflowStart(): number { return this.start[this.w * this.h]!; }

  /** Rebuilds from the `count` ids in `ids`, reading xs[id], ys[id] and extra[e][id]. */
  build(ids: Int32Array, count: number, xs: Float64Array, ys: Float64Array, extra: readonly Float64Array[]): void {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < count; k++) {
      const id = ids[k]!, x = xs[id]!, y = ys[id]!;
      if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    let size = this.baseCellSize;
    if (minX > maxX) { minX = maxX = minY = maxY = 0; }
    // Far-flung points would need too many cells: coarser cells only cost scan time, never results.
    const cells = (sz: number) => (Math.floor(maxX / sz) - Math.floor(minX / sz) + 1) * (Math.floor(maxY / sz) - Math.floor(minY / sz) + 1);
    while (cells(size) > this.maxCells) size *= 2;
    const inv = 1 / size;
    this.cellSize = size;
    this.inv = inv;
    const ox = Math.floor(minX * inv), oy = Math.floor(minY * inv);
    const w = Math.floor(maxX * inv) - ox + 1, h = Math.floor(maxY * inv) - oy + 1;
    this.ox = ox; this.oy = oy; this.w = w; this.h = h;
    const ncell = w * h;
    if (this.start.length < ncell + 2) this.start = new Int32Array(Math.max(ncell + 2, this.start.length * 2));
    const start = this.start;
    start.fill(0, 0, ncell + 2);
    if (this.cellOf.length < count) this.cellOf = new Int32Array(Math.max(count, this.cellOf.length * 2));
    const cellOf = this.cellOf;
    // Count into start[c + 1] (overflow counts at ncell + 1), prefix-sum, then place.
    for (let k = 0; k < count; k++) {
      const id = ids[k]!, x = xs[id]!, y = ys[id]!;
      const c = Number.isFinite(x) && Number.isFinite(y) ? (Math.floor(x * inv) - ox) + (Math.floor(y * inv) - oy) * w : ncell;
      cellOf[k] = c;
      start[c + 1]!++;
    }
    for (let c = 1; c <= ncell + 1; c++) start[c] = start[c]! + start[c - 1]!;
    const S = this.stride, E = this.extras;
    if (this.data.length < count * S) this.data = new Float64Array(Math.max(count * S, this.data.length * 2));
    const data = this.data;
    // start[c] is the write cursor of cell c while placing; afterwards start[c] has moved to the old
    // start[c + 1], so one shift restores it.
    for (let k = 0; k < count; k++) {
      const id = ids[k]!, c = cellOf[k]!;
      const o = start[c]!++ * S;
      data[o] = xs[id]!;
      data[o + 1] = ys[id]!;
      data[o + 2] = id;
      for (let x = 0; x < E; x++) data[o + 3 + x] = extra[x]![id]!;
    }
    for (let c = ncell + 1; c > 0; c--) start[c] = start[c - 1]!;
    start[0] = 0;
    this.n = count;
  }
}
