// The subscription layer's public types: what a server asks for (queries, areas) and what it gets
// back each tick (per-client deltas naming rows by handle and slot, plus the rows to encode once).
import type { TableStore } from '../table/table-store.ts';
import type { TableChanges } from '../tx/change-set.ts';
import type { TickReport } from '../tick/types.ts';
import type { CellInterestOptions } from './cells/cell-grid.ts';

export type { CellInterestOptions };

/** The server's id for a connection. */
export type ClientId = number;

/** A query subscription's filter. Without one the subscription covers the whole table. */
export type QueryFilter =
  /** Rows whose column equals `eq`; the column must be the primary key, unique() or index()ed. */
  | { readonly col: string; readonly eq: unknown }
  /** Rows whose numeric column lies in [lo, hi]; the column needs index('btree'). */
  | { readonly col: string; readonly range: readonly [number, number] }
  /** Rows whose identity column `col` (default: the table's owner column) is the client's identity. */
  | { readonly ownerIsMe: true; readonly col?: string };

export interface QuerySpec {
  readonly table: string;
  readonly filter?: QueryFilter | null;
}

export interface AreaSpec {
  /** A table with a spatial index. */
  readonly table: string;
  /** A circle of this radius around the centre... */
  readonly radius?: number;
  /** ...or a rectangle of these half extents (exactly one of the two). */
  readonly rect?: { readonly halfWidth: number; readonly halfHeight: number };
  /** Centre, when not following a row (or until the followed row exists). */
  readonly x?: number;
  readonly y?: number;
  /** Primary key of a row whose position the centre follows every tick (the client's avatar). */
  readonly follow?: unknown;
  /** Table of the followed row (default: `table`); its spatial columns (or x / y) give the position. */
  readonly followTable?: string;
  /** Hysteresis width in world units: a row within `radius` of the centre is always held and a held
   * row is dropped only beyond `radius + margin`. Default: the manager's `margin` option. */
  readonly margin?: number;
}

/** One table's part of a client's delta. Valid only during the sink call that receives it. */
export interface TableDelta {
  readonly table: string;
  /** Index of the table in world.db.tables. */
  readonly tableIndex: number;
  readonly store: TableStore;
  /** The tick's changes of this table (updatedChanges index into them). */
  readonly changes: TableChanges;
  /** Rows entering the client's view: send them whole. `enteredSlots` are table slots, valid
   * during the publish callback. */
  readonly enteredCount: number;
  readonly enteredHandles: Int32Array;
  readonly enteredSlots: Int32Array;
  /** Rows the client holds that changed: send the changed columns. Entry i (i < updatedCount) is
   * handle updatedHandles[updatedStart + i] with change index updatedChanges[updatedStart + i],
   * which indexes `changes.updated` (slot) and `changes.updatedMask` (changed columns). The arrays
   * are shared by all clients of the table (grouped by client), hence the start offset. */
  readonly updatedStart: number;
  readonly updatedCount: number;
  readonly updatedHandles: Int32Array;
  readonly updatedChanges: Int32Array;
  /** Rows leaving the client's view: send their handle (leftPk gives the primary key). */
  readonly leftCount: number;
  readonly leftHandles: Int32Array;
  leftPk(i: number): unknown;
  /** Conveniences over the update arrays, for i < updatedCount. */
  updatedHandle(i: number): number;
  updatedChange(i: number): number;
  updatedSlot(i: number): number;
  updatedMask(i: number): number;
  /** Rows of this table the client holds after this delta. */
  readonly held: number;
}

/** What one client must receive this tick. A handle appears at most once per delta; handles freed
 * this tick are reused only in later ticks. Valid only during the sink call. */
export interface ClientDelta {
  readonly clientId: ClientId;
  readonly tick: number;
  /** Resync: the client drops every row it holds before applying this delta (all rows are entered). */
  readonly reset: boolean;
  /** Query ids subscribed since the last delta whose initial rows this delta carries. */
  readonly applied: readonly number[];
  /** Tables with something to send. */
  readonly tables: readonly TableDelta[];
  /** Areas on cell-interest tables: the client receives whole cells (see CellTableDelta). */
  readonly cellTables: readonly CellTableDelta[];
}

/** What a cell-interest table did this tick, for every client: per cell, its entries (rows that
 * left the cell, entered it, or changed in it) with handles shared by all clients. Valid during the
 * sink calls of the tick. */
export interface CellTickData {
  readonly tableIndex: number;
  readonly store: TableStore;
  readonly changes: TableChanges;
  readonly grid: { readonly gw: number; readonly cells: number };
  /** Clients whose window holds each cell (encode only cells someone sees). */
  readonly viewers: Int32Array;
  /** Entries of cell c: [start[c], start[c + 1]); kind 0 = left (handle), 1 = entered (handle, aux =
   * slot: send whole), 2 = changed (handle, aux = index into changes.updated). */
  readonly start: Int32Array;
  readonly kind: Int32Array;
  readonly handle: Int32Array;
  readonly aux: Int32Array;
  /** Cells with entries this tick, ascending. */
  readonly touched: Int32Array;
  readonly touchedCount: number;
  /** Every row in the cell now, into outH (handles) / outS (slots); returns the count. */
  collectFull(cell: number): number;
  /** The handles a client that held the cell before this tick holds, into outH; returns the count. */
  collectPrevious(cell: number): number;
  readonly outH: Int32Array;
  readonly outS: Int32Array;
}

/** One client's area on a cell-interest table this tick. Windows are [y0, y1, then x0, x1 per cell
 * row] (cell = y * gw + x; a row with x1 < x0 is empty). The client receives, per cell: in `prev`
 * and `cur`, the cell's entries; only in `cur`, the whole cell; only in `prev`, deletes of what it
 * held there. `prev` is null when it held nothing (new area; with ClientDelta.reset, ignore it). */
export interface CellTableDelta {
  readonly tableIndex: number;
  readonly data: CellTickData;
  readonly prev: Int32Array | null;
  readonly cur: Int32Array;
}

/** Rows to encode once this tick, per table (each seen by at least one client). */
export interface EncodeList {
  /** Slots of rows entering some client's view (encode whole). */
  readonly wholeSlots: Int32Array;
  readonly wholeCount: number;
  /** Indexes into changes.updated of rows some client holds (encode changed columns). */
  readonly changeIndexes: Int32Array;
  readonly changeCount: number;
}

export interface DeltaSink {
  /** Before any client delta of the tick: encode rowsToEncode() here if you encode eagerly. */
  beginTick?(report: TickReport): void;
  /** One call per client with something to receive (or a reset / applied subscription). */
  clientDelta(delta: ClientDelta): void;
  endTick?(report: TickReport): void;
}

export interface SubscriptionOptions {
  sink?: DeltaSink;
  /** Default hysteresis margin of areas in world units; default: 10% of the radius (or of the
   * smaller half extent), at least 1. */
  margin?: number;
  /** Cell size of the grid holding area anchors (default 32 world units). */
  areaCellSize?: number;
  /** Cell size of the grid of rows the areas scan (default 16 world units; about a tenth of a
   * typical radius works well). */
  rowCellSize?: number;
  /** Tables (by name) whose areas work by cells: clients receive every row of each cell their area
   * touches, and one encoded block per cell serves all of them. For many clients in one world:
   * the per-tick cost no longer grows with (client, row) pairs. Such a table must be public; a
   * client cannot combine an area and query subscriptions on it. */
  cellInterest?: Readonly<Record<string, CellInterestOptions>>;
}
