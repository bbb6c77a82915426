// The wire description of a module: TableLayouts and ReducerLayouts from the engine's definitions,
// with stable ids (a table's index in module.tableList, a reducer's index in module.reducerNames).
// Type-only imports from the engine, so the browser bundle gains nothing from it.
import type { ModuleDef } from '../module/define.ts';
import type { AnyTableDef } from '../schema/table-def.ts';
import type { ColumnsShape } from '../schema/column.ts';
import type { ColumnLayout, ReducerLayout, TableLayout } from './layout.ts';

export interface ModuleLayouts {
  /** Tables clients may receive (private and internal `__` tables left out), by ascending id. */
  readonly tables: readonly TableLayout[];
  readonly reducers: readonly ReducerLayout[];
  /** Every table's id by name, private ones included (for server-side lookups). */
  readonly tableIds: ReadonlyMap<string, number>;
  readonly reducerIds: ReadonlyMap<string, number>;
}

function columnLayout(name: string, config: ColumnsShape[string]['config']): ColumnLayout {
  return {
    name, kind: config.kind,
    quant: config.quantize,
    enumValues: config.enumValues,
    ...(config.optional ? { optional: true } : {}),
  };
}

/** The layout of one table definition under wire id `id`; null for private tables. */
export function tableLayout(def: AnyTableDef, id: number): TableLayout | null {
  const vis = def.options.visibility ?? 'public';
  if (vis === 'private') return null;
  const index = (name: string): number => def.columnList.findIndex((c) => c.name === name);
  const sp = def.options.spatial;
  return {
    id, name: def.name, pkIndex: def.pk.index,
    columns: def.columnList.map((c) => columnLayout(c.name, c.config)),
    visibility: vis === 'public' ? 'public' : 'owner',
    ...(vis === 'public' ? {} : { ownerIndex: index(vis.owner) }),
    spatial: sp ? { x: index(sp.x), y: index(sp.y) } : null,
  };
}

export function moduleLayouts(mod: ModuleDef): ModuleLayouts {
  const tables: TableLayout[] = [];
  const tableIds = new Map<string, number>();
  mod.tableList.forEach((def, id) => {
    tableIds.set(def.name, id);
    const layout = def.name.startsWith('__') ? null : tableLayout(def, id);
    if (layout) tables.push(layout);
  });
  const reducerIds = new Map<string, number>();
  const reducers = mod.reducerNames.map((name, id): ReducerLayout => {
    reducerIds.set(name, id);
    const args = mod.reducers[name]!.args;
    return { id, name, args: Object.entries(args).map(([a, b]) => columnLayout(a, b.config)) };
  });
  return { tables, reducers, tableIds, reducerIds };
}
