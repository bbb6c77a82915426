// The fixed grid of a cell-interest table: which cell a point falls in, whether a row may stay in its
// cell (row hysteresis), an area's window of cells, and the wire handle of a row from its cell and
// its index in the cell. Handles are the same for every client: a cell's slot is its position modulo
// W cells in each axis, so two cells one window can hold never share a slot, and handle = slot × L +
// index, below 2^20. That is what lets one encoded block per cell serve every client seeing it.
import { WorldlineError } from '../../errors/index.ts';
import type { AreaShape } from '../area-set.ts';

export interface CellInterestOptions {
  /** World bounds the grid covers; rows outside them fall into the border cells. */
  readonly bounds: { readonly minX: number; readonly minY: number; readonly maxX: number; readonly maxY: number };
  /** Side of a cell in world units (default 32). A client receives the rows of every cell its area
   * touches, so smaller cells send fewer rows outside the area and more (smaller) blocks. */
  readonly cellSize?: number;
  /** A row changes cell only once it is this far outside its cell (default cellSize / 8), so a row
   * on a cell border does not leave and re-enter clients' views every tick. */
  readonly rowMargin?: number;
  /** Widest area, in cells, any client may have (default 16). Rows per cell are capped at
   * 2^20 / maxAreaCells² (4,096 by default); rows beyond that in one cell are not sent. */
  readonly maxAreaCells?: number;
}

const MAX_HANDLES = 1 << 20;
const MAX_GRID_CELLS = 1 << 22;

const bad = (msg: string): never => { throw new WorldlineError('BAD_ARGUMENTS', msg); };

export class CellGrid {
  readonly cs: number;
  readonly minX: number;
  readonly minY: number;
  readonly gw: number;
  readonly gh: number;
  readonly cells: number;
  readonly rowMargin: number;
  /** Slot modulus: no window may be W cells wide or high. */
  readonly W: number;
  /** Rows per cell (handles per slot). */
  readonly L: number;

  constructor(table: string, o: CellInterestOptions) {
    const b = o.bounds;
    const fin = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
    if (!b || !fin(b.minX) || !fin(b.minY) || !fin(b.maxX) || !fin(b.maxY) || !(b.maxX > b.minX) || !(b.maxY > b.minY)) {
      bad(`cellInterest.${table}.bounds must be { minX, minY, maxX, maxY } with finite numbers, max > min`);
    }
    this.cs = o.cellSize ?? 32;
    if (!fin(this.cs) || !(this.cs > 0)) bad(`cellInterest.${table}.cellSize must be a positive number`);
    this.rowMargin = o.rowMargin ?? this.cs / 8;
    if (!fin(this.rowMargin) || !(this.rowMargin >= 0)) bad(`cellInterest.${table}.rowMargin must be a number >= 0`);
    this.W = o.maxAreaCells ?? 16;
    if (!Number.isInteger(this.W) || this.W < 2 || this.W > 256) bad(`cellInterest.${table}.maxAreaCells must be an integer in 2..256`);
    this.L = Math.floor(MAX_HANDLES / (this.W * this.W));
    this.minX = b.minX;
    this.minY = b.minY;
    this.gw = Math.max(1, Math.ceil((b.maxX - b.minX) / this.cs));
    this.gh = Math.max(1, Math.ceil((b.maxY - b.minY) / this.cs));
    this.cells = this.gw * this.gh;
    if (this.cells > MAX_GRID_CELLS) bad(`cellInterest.${table}: ${this.gw} x ${this.gh} cells is more than ${MAX_GRID_CELLS}; raise cellSize`);
  }

  cx(x: number): number {
    const c = Math.floor((x - this.minX) / this.cs);
    return c < 0 || c !== c ? 0 : c >= this.gw ? this.gw - 1 : c;
  }

  cy(y: number): number {
    const c = Math.floor((y - this.minY) / this.cs);
    return c < 0 || c !== c ? 0 : c >= this.gh ? this.gh - 1 : c;
  }

  cellOf(x: number, y: number): number {
    return this.cy(y) * this.gw + this.cx(x);
  }

  /** True while (x, y) is within `m` (default rowMargin) of `cell` (border cells reach out to infinity). */
  stays(cell: number, x: number, y: number, m = this.rowMargin): boolean {
    const gw = this.gw, cx = cell % gw, cy = (cell - cx) / gw, cs = this.cs;
    const lx = this.minX + cx * cs, ly = this.minY + cy * cs;
    if ((cx > 0 && x < lx - m) || (cx < gw - 1 && x >= lx + cs + m)) return false;
    if ((cy > 0 && y < ly - m) || (cy < this.gh - 1 && y >= ly + cs + m)) return false;
    return x === x && y === y;
  }

  /** First handle of a cell's rows. */
  handleBase(cell: number): number {
    const gw = this.gw, cx = cell % gw, cy = (cell - cx) / gw, W = this.W;
    return ((cx % W) + W * (cy % W)) * this.L;
  }

  /** Throws if an area of this shape could span W cells. */
  check(table: string, shape: AreaShape): void {
    const r = shape.margin + this.rowMargin;
    const w = (shape.radius > 0 ? 2 * (shape.radius + r) : 2 * (Math.max(shape.halfWidth, shape.halfHeight) + r));
    if (Math.floor(w / this.cs) + 2 >= this.W) {
      bad(`an area of ${w.toFixed(1)} world units (size + margin + row margin) spans up to ${Math.floor(w / this.cs) + 2} cells of table '${table}'; ` +
        `the server allows fewer than ${this.W} (raise cellInterest.${table}.maxAreaCells or cellSize)`);
    }
  }

  /** The cells an area anchored at (ax, ay) receives: every cell touched by its shape grown by
   * margin (the centre may drift that far before the area re-anchors) and rowMargin (a row may be
   * that far outside its cell). Written as [y0, y1, then x0, x1 per cell row]; a row with x1 < x0
   * is empty. Returns the length. */
  window(shape: AreaShape, ax: number, ay: number, out: Int32Array): number {
    const reach = shape.margin + this.rowMargin, cs = this.cs;
    const R = shape.radius > 0 ? shape.radius + reach : 0;
    const hw = shape.radius > 0 ? R : shape.halfWidth + reach;
    const hh = shape.radius > 0 ? R : shape.halfHeight + reach;
    const y0 = this.cy(ay - hh), y1 = this.cy(ay + hh);
    out[0] = y0;
    out[1] = y1;
    let k = 2;
    for (let cy = y0; cy <= y1; cy++) {
      let half = hw;
      if (R > 0) {
        const lo = this.minY + cy * cs, hi = lo + cs;
        // Border rows reach to infinity, so the distance to them is 0 when the anchor is beyond.
        const dy = ay < lo && cy > 0 ? lo - ay : ay > hi && cy < this.gh - 1 ? ay - hi : 0;
        half = dy > R ? -1 : Math.sqrt(R * R - dy * dy);
      }
      if (half < 0) { out[k++] = 1; out[k++] = 0; continue; }
      out[k++] = this.cx(ax - half);
      out[k++] = this.cx(ax + half);
    }
    return k;
  }
}

/** Window buffers are sized for the widest window a grid allows. */
export function windowBuffer(grid: CellGrid): Int32Array {
  return new Int32Array(2 + 2 * grid.W);
}

export function sameWindow(a: Int32Array, b: Int32Array): boolean {
  if (a[0] !== b[0] || a[1] !== b[1]) return false;
  const n = 2 + 2 * (a[1]! - a[0]! + 1);
  for (let i = 2; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An empty window. */
export function clearWindow(w: Int32Array): void {
  w[0] = 1;
  w[1] = 0;
}

export function windowEmpty(w: Int32Array): boolean {
  return w[1]! < w[0]!;
}
