// table(): a table definition — columns, keys, indexes, spatial index and visibility. Validates the
// definition eagerly so mistakes surface at import time with a message naming the column.
import type { ColumnsShape, NumericKeys, ColumnKind } from './column.ts';
import { WorldlineError } from '../errors/index.ts';

export type Visibility<C extends ColumnsShape> = 'public' | 'private' | { owner: keyof C & string };

export interface TableOptions<C extends ColumnsShape> {
  /** A spatial point index over two numeric columns: enables near()/inRect() and area subscriptions. */
  spatial?: { x: NumericKeys<C>; y: NumericKeys<C>; strategy?: 'grid' | 'rtree'; cellSize?: number };
  /** public: every client may subscribe; private: never sent; { owner }: only rows whose identity
   * column equals the client's identity. Default 'public'. */
  visibility?: Visibility<C>;
}

export interface ColumnInfo {
  readonly name: string;
  readonly index: number;
  readonly kind: ColumnKind;
  readonly config: ColumnsShape[string]['config'];
}

/** What every table definition satisfies, whatever its columns (options with plain string names). */
export interface AnyTableDef {
  readonly name: string;
  readonly columns: ColumnsShape;
  readonly options: {
    spatial?: { x: string; y: string; strategy?: 'grid' | 'rtree'; cellSize?: number };
    visibility?: 'public' | 'private' | { owner: string };
  };
  readonly columnList: readonly ColumnInfo[];
  readonly pk: ColumnInfo;
}

export interface TableDef<Name extends string = string, C extends ColumnsShape = ColumnsShape> extends AnyTableDef {
  readonly name: Name;
  readonly columns: C;
  readonly options: TableOptions<C>;
}

export const MAX_COLUMNS = 30; // the change set keeps a 32-bit changed-column mask per row; bit 31 flags inserts

const INT_KINDS: readonly ColumnKind[] = ['u8', 'u16', 'u32', 'i8', 'i16', 'i32'];

/** `options` keeps its literal type (e.g. visibility: 'private'), so clients can leave private
 * tables out of their types. */
export function table<const Name extends string, C extends ColumnsShape, const O extends TableOptions<C> = {}>(
  name: Name, columns: C, options: O = {} as O,
): TableDef<Name, C> & { readonly options: O } {
  const bad = (msg: string): never => { throw new WorldlineError('SCHEMA', `table '${name}': ${msg}`); };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) bad('table names are identifiers (letters, digits, _)');
  const columnList = Object.entries(columns).map(([colName, b], index) => ({ name: colName, index, kind: b.config.kind, config: b.config }));
  if (columnList.length === 0) bad('needs at least one column');
  if (columnList.length > MAX_COLUMNS) bad(`has ${columnList.length} columns; the limit is ${MAX_COLUMNS}`);
  const pks = columnList.filter((c) => c.config.primaryKey);
  if (pks.length !== 1) bad(`needs exactly one primaryKey() column, found ${pks.length}`);
  for (const c of columnList) {
    if (c.config.autoInc && (!c.config.primaryKey || !INT_KINDS.includes(c.kind))) bad(`column '${c.name}': autoInc() needs an integer primary key`);
    if (c.config.optional) bad(`column '${c.name}': optional() is for reducer arguments; use default() for columns`);
    if (c.config.quantize !== null && c.kind !== 'f32' && c.kind !== 'f64') bad(`column '${c.name}': quantize() applies to f32/f64 columns`);
    if (c.kind === 'bytes' && (c.config.unique || c.config.index)) bad(`column '${c.name}': bytes columns cannot be indexed`);
  }
  const sp = options.spatial;
  if (sp) {
    for (const k of [sp.x, sp.y]) {
      const c = columnList.find((col) => col.name === k);
      if (!c || !(['f32', 'f64', ...INT_KINDS] as ColumnKind[]).includes(c.kind)) bad(`spatial column '${String(k)}' must be a numeric column`);
    }
  }
  const vis = options.visibility;
  if (vis && typeof vis === 'object') {
    const c = columnList.find((col) => col.name === vis.owner);
    if (!c || c.kind !== 'identity') bad(`visibility owner column '${String(vis.owner)}' must be an identity column`);
  }
  return { name, columns, options: options as TableOptions<C> & O, columnList, pk: pks[0]! };
}
