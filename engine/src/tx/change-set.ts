// The tick's change set: per table, the rows inserted, the rows updated with their changed-column
// masks, and the rows deleted with their old values. Drained once per tick from the tables' own
// dirty tracking; subscriptions, the replay log and metrics all read this one structure.
import { IdList } from '../table/spatial/index.ts';
import type { TableStore, DeletedRow } from '../table/table-store.ts';

export class TableChanges {
  /** Slots of rows inserted this tick (valid until the next tick writes). */
  readonly inserted = new IdList();
  /** Slots of pre-existing rows updated this tick, with `updatedMask[i]` = bit per changed column. */
  readonly updated = new IdList();
  updatedMask = new Uint32Array(64);
  deleted: DeletedRow[] = [];
  /** classify() out: inserted and updated counts. */
  private readonly counts = new Int32Array(2);
  constructor(readonly table: TableStore) {}

  get empty(): boolean {
    return this.inserted.length === 0 && this.updated.length === 0 && this.deleted.length === 0;
  }

  /** Moves the table's dirty tracking into this change set and clears it. */
  drain(): void {
    const t = this.table;
    this.inserted.clear();
    this.updated.clear();
    t.db.resolve();
    const ts = t.tick, slots = ts.slot, masks = ts.mask, n = ts.count;
    // Entries in order of first change; the entries stay readable (tick-start values) until the
    // next tick begins.
    this.inserted.reserve(n);
    this.updated.reserve(n);
    if (this.updatedMask.length < n) this.updatedMask = new Uint32Array(Math.max(n, this.updatedMask.length * 2));
    // The loop lives in its own small function: in a once-per-tick method, V8 optimizes it on stack
    // replacement, and code after the loop that had no type feedback yet deoptimized it every tick.
    classify(slots, masks, n, t.inserted, this.inserted.ids, this.updated.ids, this.updatedMask, this.counts);
    this.inserted.length = this.counts[0]!;
    this.updated.length = this.counts[1]!;
    this.deleted = t.deleted;
    t.deleted = [];
  }
}

export class ChangeSet {
  readonly tables: TableChanges[];
  readonly byName = new Map<string, TableChanges>();
  constructor(stores: readonly TableStore[]) {
    this.tables = stores.map((s) => new TableChanges(s));
    for (const c of this.tables) this.byName.set(c.table.name, c);
  }
  drain(): void {
    for (const c of this.tables) c.drain();
  }
  get empty(): boolean {
    return this.tables.every((c) => c.empty);
  }
  /** Counts for logs and metrics. */
  summary(): { inserted: number; updated: number; deleted: number } {
    let inserted = 0, updated = 0, deleted = 0;
    for (const c of this.tables) { inserted += c.inserted.length; updated += c.updated.length; deleted += c.deleted.length; }
    return { inserted, updated, deleted };
  }
}

/** Sorts the tick's entries into inserted and updated rows (with masks); counts go to `counts`. */
function classify(slots: Int32Array, masks: Uint32Array, n: number, ins: number, insIds: Int32Array, updIds: Int32Array, updMask: Uint32Array, counts: Int32Array): void {
  let ni = 0, nu = 0;
  for (let e = 0; e < n; e++) {
    const s = slots[e]!;
    if (s < 0) continue; // the row was deleted, or its insert rolled back
    const m = masks[e]!;
    if (m === 0) continue; // its changes were rolled back
    if ((m & ins) !== 0) insIds[ni++] = s;
    else { updMask[nu] = m; updIds[nu++] = s; }
  }
  counts[0] = ni;
  counts[1] = nu;
}
