// A connected client as the subscription layer sees it: its identity, the subscriptions and areas
// it asked for (kept while paused, so a resync can rebuild them), its views per table, and the
// delta it receives this tick (the Client object itself, reused every tick).
import type { TableStore } from '../table/table-store.ts';
import type { AreaShape } from './area-set.ts';
import type { FilterKey } from './query-index.ts';
import type { ClientDelta, ClientId, CellTableDelta } from './types.ts';
import type { View } from './view.ts';

/** A validated query subscription, ready to index. */
export interface QueryDef {
  readonly queryId: number;
  readonly tableIndex: number;
  readonly kind: 'all' | 'eq' | 'range';
  readonly col: number;
  readonly key: FilterKey;
  readonly lo: number;
  readonly hi: number;
}

/** A validated area. */
export interface AreaDef {
  readonly tableIndex: number;
  readonly shape: AreaShape;
  readonly x: number;
  readonly y: number;
  readonly followStore: TableStore | null;
  readonly followPk: unknown;
  readonly followX: number;
  readonly followY: number;
}

export class Client implements ClientDelta {
  readonly queries = new Map<number, QueryDef>();
  /** Area per table index. */
  readonly areas = new Map<number, AreaDef>();
  /** View per table index (null where it has none). */
  readonly views: (View | null)[];
  paused = false;
  removed = false;

  // ---- this tick's delta ----
  tick = 0;
  reset = false;
  readonly applied: number[] = [];
  readonly tables: View[] = [];
  readonly cellTables: CellTableDelta[] = [];
  /** Epoch of the publish this client was last added to the delivery list. */
  touched = -1;

  constructor(readonly clientId: ClientId, readonly identity: string, ntables: number) {
    this.views = new Array(ntables).fill(null);
  }

  clearDelta(): void {
    this.reset = false;
    // Setting an array's length is not free even when it is already 0; 10,000 clients do this per tick.
    if (this.applied.length !== 0) this.applied.length = 0;
    if (this.tables.length !== 0) this.tables.length = 0;
    if (this.cellTables.length !== 0) this.cellTables.length = 0;
  }
}
