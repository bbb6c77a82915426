// One client's view of one table: the rows it holds (rid -> handle, dense handles the wire uses),
// its subscriptions on the table, and this tick's output lists (entered / updated / left), reused
// from tick to tick. A View is also the TableDelta the server reads while assembling frames.
import type { TableStore } from '../table/table-store.ts';
import type { TableChanges } from '../tx/change-set.ts';
import { IntMap } from './int-map.ts';
import type { RowRegistry } from './row-registry.ts';
import type { TableDelta } from './types.ts';
import type { Client } from './client.ts';
import type { Sub } from './query-index.ts';

const EMPTY = new Int32Array(0);

function grownI32(a: Int32Array, min: number): Int32Array {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const g = new Int32Array(n);
  g.set(a);
  return g;
}

/** Offsets in View.hs (stride 4). */
export const H_RID = 0, H_POS = 1, H_AT = 2;

export class View implements TableDelta {
  readonly map = new IntMap();
  /** Per handle, 4 ints in one cache line: the row id (-1: free), the index of this view's triple in
   * the row's viewer list, and the publish epoch the handle was handed out in (an enter cancelled in
   * the same tick sends nothing). */
  hs: Int32Array = new Int32Array(64).fill(-1);
  /** One past the highest handle in use or freed. */
  hwm = 0;
  held = 0;
  private free: number[] = [];
  private pendingFree: number[] = [];
  readonly subs: Sub[] = [];
  hasArea = false;

  enteredCount = 0;
  enteredHandles: Int32Array = new Int32Array(8);
  enteredSlots: Int32Array = new Int32Array(8);
  /** Updates live in the table's sorted update buffer: [updatedStart, updatedStart + updatedCount). */
  updatedStart = 0;
  updatedCount = 0;
  updatedHandles: Int32Array = EMPTY;
  updatedChanges: Int32Array = EMPTY;
  leftCount = 0;
  leftHandles: Int32Array = new Int32Array(8);
  leftRids: Int32Array = new Int32Array(8);
  /** Epoch of the last publish that wrote output here. */
  touched = -1;
  /** A row left after updates or enters may have been listed for it this tick: filter before delivery. */
  needsFilter = false;

  constructor(
    readonly index: number,
    readonly client: Client,
    readonly store: TableStore,
    readonly registry: RowRegistry,
    readonly tableIndex: number,
    public changes: TableChanges,
  ) {}

  get table(): string { return this.store.name; }

  leftPk(i: number): unknown { return this.registry.pkOf(this.leftRids[i]!); }
  updatedHandle(i: number): number { return this.updatedHandles[this.updatedStart + i]!; }
  updatedChange(i: number): number { return this.updatedChanges[this.updatedStart + i]!; }
  updatedSlot(i: number): number { return this.changes.updated.ids[this.updatedChanges[this.updatedStart + i]!]!; }
  updatedMask(i: number): number { return this.changes.updatedMask[this.updatedChanges[this.updatedStart + i]!]!; }

  allocHandle(): number {
    const h = this.free.length > 0 ? this.free.pop()! : this.hwm++;
    if (h * 4 >= this.hs.length) {
      const n = this.hs.length;
      this.hs = grownI32(this.hs, h * 4 + 4);
      this.hs.fill(-1, n);
    }
    return h;
  }

  /** Handles freed this tick are reused only after it, so a frame never names one row twice. */
  releaseHandle(h: number): void {
    this.pendingFree.push(h);
  }

  flushFree(): void {
    const p = this.pendingFree;
    for (let i = 0; i < p.length; i++) this.free.push(p[i]!);
    p.length = 0;
  }

  /** Forgets every row and handle (the client drops its cache on resync). */
  resetHandles(): void {
    this.map.clear();
    this.hs.fill(-1);
    this.hwm = 0;
    this.held = 0;
    this.free.length = 0;
    this.pendingFree.length = 0;
  }

  pushEntered(h: number, slot: number): void {
    const n = this.enteredCount;
    if (n === this.enteredHandles.length) {
      this.enteredHandles = grownI32(this.enteredHandles, n + 1);
      this.enteredSlots = grownI32(this.enteredSlots, n + 1);
    }
    this.enteredHandles[n] = h;
    this.enteredSlots[n] = slot;
    this.enteredCount = n + 1;
  }

  pushLeft(h: number, rid: number): void {
    const n = this.leftCount;
    if (n === this.leftHandles.length) {
      this.leftHandles = grownI32(this.leftHandles, n + 1);
      this.leftRids = grownI32(this.leftRids, n + 1);
    }
    this.leftHandles[n] = h;
    this.leftRids[n] = rid;
    this.leftCount = n + 1;
  }

  get empty(): boolean {
    return this.enteredCount === 0 && this.updatedCount === 0 && this.leftCount === 0;
  }

  /** Drops entries for handles that died later in the tick (entered-then-left rows vanish entirely;
   * updates to rows that then left are dropped). Handles are not reused within a tick, so a live
   * handle still names the row it was listed for. */
  filter(): void {
    this.needsFilter = false;
    const hs = this.hs;
    let k = 0;
    for (let i = 0; i < this.enteredCount; i++) {
      const h = this.enteredHandles[i]!;
      if (hs[h * 4]! < 0) continue;
      this.enteredHandles[k] = h;
      this.enteredSlots[k++] = this.enteredSlots[i]!;
    }
    this.enteredCount = k;
    const uh = this.updatedHandles, uc = this.updatedChanges, s0 = this.updatedStart;
    k = s0;
    for (let i = s0; i < s0 + this.updatedCount; i++) {
      const h = uh[i]!;
      if (hs[h * 4]! < 0) continue;
      uh[k] = h;
      uc[k++] = uc[i]!;
    }
    this.updatedCount = k - s0;
  }

  clearOutput(): void {
    this.enteredCount = 0;
    this.updatedStart = 0;
    this.updatedCount = 0;
    this.leftCount = 0;
    this.needsFilter = false;
  }
}
