// Client-side types derived from a server module's type (`import type game from './module.ts'`):
// table names, row and primary-key types, subscription filters and reducer arguments. No codegen.
import type { TablesOf, ReducersOf, RowOf, ArgsOf } from '@worldline/engine';
import type { ColumnsShape, IndexedKeys, PkKey } from '@worldline/engine/schema/column.ts';

type ColsOf<D> = D extends { readonly columns: infer C extends ColumnsShape } ? C : never;
type ArgSpecOf<R> = R extends { readonly args: infer A extends ColumnsShape } ? A : never;

/** Names of the module's tables a client can see: private tables are left out (the server never
 * sends them). */
export type TableName<M> = {
  [K in keyof TablesOf<M>]: TablesOf<M>[K] extends { readonly options: { readonly visibility: 'private' } } ? never : K;
}[keyof TablesOf<M>] & string;
export type Columns<M, K extends TableName<M>> = ColsOf<TablesOf<M>[K]>;
/** A row of table K as the client holds it (a read-only snapshot; changes replace it). */
export type Row<M, K extends TableName<M>> = Readonly<RowOf<Columns<M, K>>>;
/** The primary key type of table K. */
export type Pk<M, K extends TableName<M>> = RowOf<Columns<M, K>>[PkKey<Columns<M, K>>];

export type ReducerName<M> = keyof ReducersOf<M> & string;
/** The argument object of reducer K (optional() arguments may be left out). */
export type ReducerArgs<M, K extends ReducerName<M>> = ArgsOf<ArgSpecOf<ReducersOf<M>[K]>>;
/** Reducers without required arguments may be called with none. */
export type ReducerParams<M, K extends ReducerName<M>> =
  {} extends ReducerArgs<M, K> ? [args?: ReducerArgs<M, K>] : [args: ReducerArgs<M, K>];
export type ReducerCallers<M> = {
  readonly [K in ReducerName<M>]: (...args: ReducerParams<M, K>) => Promise<void>;
};

/** Marks a filter on an identity column as "equals my identity": `{ owner: me }`. */
export const me: unique symbol = Symbol('worldline.me');
export type Me = typeof me;

/** An inclusive range; either bound may be left out. The column needs a btree index. */
export interface RangeFilter<V> {
  readonly gte?: V;
  readonly lte?: V;
}

type FilterValue<V> = V | RangeFilter<V> | (V extends string ? Me : never);
/** A subscription filter: indexed columns (primary key, unique, index()) of table K, all of which
 * must hold. `{ holder: 7 }` equality, `{ score: { gte: 10 } }` range, `{ owner: me }` my rows. */
export type Filter<M, K extends TableName<M>> = {
  readonly [C in IndexedKeys<Columns<M, K>>]?: FilterValue<RowOf<Columns<M, K>>[C]>;
};

/** The row an area follows: a primary key of the area's own table, or of another table. */
export type FollowTarget<M, K extends TableName<M>> =
  | Pk<M, K>
  | { [T in TableName<M>]: { readonly table: T; readonly pk: Pk<M, T> } }[TableName<M>];

interface AreaBase<M, K extends TableName<M>> {
  /** A table with a spatial index. */
  readonly table: K;
  /** Centre while not following a row. */
  readonly x?: number;
  readonly y?: number;
  /** The row whose position the area's centre follows every tick (usually your avatar). */
  readonly follow?: FollowTarget<M, K>;
  /** Hysteresis width in world units (default: the server's). */
  readonly margin?: number;
}

/** An area-of-interest subscription: a circle (`radius`) or a rectangle (`rect` half extents). */
export type AreaOptions<M, K extends TableName<M>> = AreaBase<M, K> & (
  | { readonly radius: number; readonly rect?: undefined }
  | { readonly rect: { readonly halfWidth: number; readonly halfHeight: number }; readonly radius?: undefined }
);
