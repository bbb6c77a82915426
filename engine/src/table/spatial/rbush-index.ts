// R-tree strategy on rbush@4: one item object per id. Inserts and moves are deferred and applied
// on the next query, either item by item or, when much of the index changed, by one bulk re-load.

import RBush from 'rbush';
import { WorldlineError } from '../../errors/index.ts';
import {
  checkId, misuse, radiusSlack, UNBOUND_COLUMNS,
  type BaseIndexOptions, type IdList, type PointColumns, type SpatialIndex,
} from './spatial-index.ts';

export interface RTreeIndexOptions extends BaseIndexOptions {
  /** rbush node fan-out (default 9, rbush's own). */
  maxEntries?: number;
  /**
   * When more than this fraction of the indexed rows changed since the last query, rebuild the
   * tree with one bulk load instead of per-item remove + insert (default 0.1; Infinity = never).
   */
  rebuildFraction?: number;
}

/**
 * Where an item stands relative to the tree. A NaN position would poison every ancestor bbox, and
 * NaN never matches a query anyway, so such items are parked outside the tree.
 */
const GONE = 0, CLEAN = 1, MOVED = 2, PENDING = 3, PARKED = 4;

/** An rbush leaf entry: the bbox is the position as the tree last saw it. */
interface Item { minX: number; minY: number; maxX: number; maxY: number; id: number; state: number }

/** rbush's node shape (its `toJSON()` root); walked directly so queries allocate nothing. */
interface Node { children: Array<Node | Item>; leaf: boolean; minX: number; minY: number; maxX: number; maxY: number }

// Empirical V8 sizes (Node 20, x64, no pointer compression), checked against heap deltas by the
// bench: an item object (6 fields, its 4 doubles boxed), a tree node with its children array, a pointer slot.
const ITEM_BYTES = 136, NODE_BYTES = 210, SLOT_BYTES = 8;

export class RBushIndex implements SpatialIndex {
  private xs: ArrayLike<number>;
  private ys: ArrayLike<number>;
  private readonly tree: RBush<Item>;
  private readonly rebuildFraction: number;
  private items: Array<Item | undefined> = [];
  private moved: Item[] = [];
  private pending: Item[] = [];
  private readonly stack: Node[] = [];
  private count = 0;

  constructor(opts: RTreeIndexOptions = {}) {
    const maxEntries = opts.maxEntries ?? 9;
    if (!(maxEntries >= 4) || maxEntries !== Math.floor(maxEntries)) {
      throw new WorldlineError('SCHEMA', `rtree spatial index: maxEntries must be an integer >= 4 (got ${maxEntries})`);
    }
    const fraction = opts.rebuildFraction ?? 0.1;
    if (!(fraction >= 0)) {
      throw new WorldlineError('SCHEMA', `rtree spatial index: rebuildFraction must be >= 0 (got ${fraction}); use Infinity to never bulk-rebuild`);
    }
    this.tree = new RBush<Item>(maxEntries);
    this.rebuildFraction = fraction;
    const cols = opts.columns ?? UNBOUND_COLUMNS;
    this.xs = cols.x;
    this.ys = cols.y;
  }

  get size(): number {
    return this.count;
  }

  bind(cols: PointColumns): void {
    this.xs = cols.x;
    this.ys = cols.y;
  }

  insert(id: number): void {
    checkId(id);
    if (this.items[id] !== undefined) throw misuse(`insert of row slot ${id}, which is already indexed`);
    while (this.items.length < id) this.items.push(undefined);
    // NaN, not 0, so V8 gives the fields a double representation from the start (no map migrations).
    const item: Item = { minX: Number.NaN, minY: Number.NaN, maxX: Number.NaN, maxY: Number.NaN, id, state: PENDING };
    this.items[id] = item;
    this.pending.push(item);
    this.count++;
  }

  move(id: number): void {
    const item = this.items[id];
    if (item === undefined) throw misuse(`move of row slot ${id}, which is not indexed`);
    if (item.state === CLEAN) {
      item.state = MOVED;
      this.moved.push(item);
    } else if (item.state === PARKED) {
      item.state = PENDING;
      this.pending.push(item);
    }
  }

  moveFrom(id: number, _oldX: number, _oldY: number, _newX: number, _newY: number): void {
    this.move(id);
  }

  remove(id: number): void {
    const item = this.items[id];
    if (item === undefined) throw misuse(`remove of row slot ${id}, which is not indexed`);
    // The item's bbox is still where the tree filed it, so rbush can find it.
    if (item.state === CLEAN || item.state === MOVED) this.tree.remove(item);
    item.state = GONE;
    this.items[id] = undefined;
    this.count--;
  }

  relabel(from: number, to: number): void {
    checkId(to);
    const item = this.items[from];
    if (item === undefined) throw misuse(`relabel from row slot ${from}, which is not indexed`);
    if (this.items[to] !== undefined) throw misuse(`relabel onto row slot ${to}, which is still indexed`);
    while (this.items.length < to) this.items.push(undefined);
    this.items[to] = item;
    this.items[from] = undefined;
    item.id = to;
  }

  queryRect(minX: number, minY: number, maxX: number, maxY: number, out: IdList): void {
    if (!(minX <= maxX && minY <= maxY)) return;
    this.flush();
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = this.tree.toJSON() as Node;
    while (sp > 0) {
      const node = stack[--sp];
      const children = node.children;
      if (node.leaf) {
        for (let i = 0; i < children.length; i++) {
          const it = children[i] as Item;
          if (it.minX >= minX && it.minX <= maxX && it.minY >= minY && it.minY <= maxY) out.push(it.id);
        }
      } else {
        for (let i = 0; i < children.length; i++) {
          const n = children[i] as Node;
          if (n.maxX >= minX && n.minX <= maxX && n.maxY >= minY && n.minY <= maxY) stack[sp++] = n;
        }
      }
    }
  }

  queryRadius(cx: number, cy: number, r: number, out: IdList): void {
    if (!(r >= 0)) return;
    this.flush();
    const reach = r + radiusSlack(cx, cy, r), r2 = r * r;
    const minX = cx - reach, maxX = cx + reach, minY = cy - reach, maxY = cy + reach;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = this.tree.toJSON() as Node;
    while (sp > 0) {
      const node = stack[--sp];
      const children = node.children;
      if (node.leaf) {
        for (let i = 0; i < children.length; i++) {
          const it = children[i] as Item;
          const dx = it.minX - cx, dy = it.minY - cy;
          if (dx * dx + dy * dy <= r2) out.push(it.id);
        }
      } else {
        for (let i = 0; i < children.length; i++) {
          const n = children[i] as Node;
          if (n.maxX >= minX && n.minX <= maxX && n.maxY >= minY && n.minY <= maxY) stack[sp++] = n;
        }
      }
    }
  }

  clear(): void {
    for (const item of this.items) if (item !== undefined) item.state = GONE;
    this.items = [];
    this.moved.length = 0;
    this.pending.length = 0;
    this.tree.clear();
    this.count = 0;
  }

  /** Estimate from object counts (rbush holds plain JS objects, not typed arrays). */
  memoryBytes(): number {
    let nodes = 0, slots = 0;
    const stack: Node[] = [this.tree.toJSON() as Node];
    while (stack.length > 0) {
      const node = stack.pop()!;
      nodes++;
      slots += node.children.length;
      if (!node.leaf) for (const c of node.children) stack.push(c as Node);
    }
    return this.count * ITEM_BYTES + nodes * NODE_BYTES + slots * SLOT_BYTES
      + (this.items.length + this.moved.length + this.pending.length) * SLOT_BYTES;
  }

  /** Applies deferred inserts and moves so the tree matches the columns. */
  private flush(): void {
    const moved = this.moved, pending = this.pending;
    if (moved.length === 0 && pending.length === 0) return;
    if (moved.length + pending.length > this.rebuildFraction * this.count || this.tree.toJSON().children.length === 0) {
      this.rebuild();
    } else {
      for (let i = 0; i < moved.length; i++) {
        const it = moved[i];
        if (it.state !== MOVED) continue;
        this.tree.remove(it);
        if (this.place(it)) this.tree.insert(it);
      }
      for (let i = 0; i < pending.length; i++) {
        const it = pending[i];
        if (it.state !== PENDING) continue;
        if (this.place(it)) this.tree.insert(it);
      }
    }
    moved.length = 0;
    pending.length = 0;
  }

  /** Re-reads every changed item and bulk-loads the whole tree (OMT packing). */
  private rebuild(): void {
    const all: Item[] = [];
    for (let id = 0; id < this.items.length; id++) {
      const it = this.items[id];
      if (it === undefined) continue;
      if (it.state === MOVED || it.state === PENDING) this.place(it);
      if (it.state === CLEAN) all.push(it);
    }
    this.tree.clear();
    this.tree.load(all);
  }

  /** Copies the column position into the item's bbox; true if it belongs in the tree. */
  private place(it: Item): boolean {
    const x = this.xs[it.id], y = this.ys[it.id];
    it.minX = it.maxX = x;
    it.minY = it.maxY = y;
    const ok = x === x && y === y;
    it.state = ok ? CLEAN : PARKED;
    return ok;
  }
}
