// schema() / reducer() / module(): how a studio writes a game. Types flow from the table definitions
// to ctx.db and from the argument specs to callers (server and, via `import type`, the client SDK).
import type { ColumnsShape, ArgsOf } from '../schema/column.ts';
import type { AnyTableDef } from '../schema/table-def.ts';
import { compileArgValidator, type ArgValidator } from '../schema/args.ts';
import { hashString } from '../table/hash-mix.ts';
import type { TableHandle } from '../tx/table-handle.ts';
import type { ReducerContext } from '../tx/reducer-context.ts';
import { scheduleTable } from '../tx/schedule.ts';
import { WorldlineError, type Rejection } from '../errors/index.ts';

export type TablesShape = Record<string, AnyTableDef>;
export type DbOf<T extends TablesShape> = { readonly [K in keyof T]: TableHandle<T[K]['columns']> };

export interface ReducerDef<A extends ColumnsShape = ColumnsShape, DB = unknown> {
  readonly kind: 'reducer';
  readonly args: A;
  // Method syntax on purpose: parameters compare bivariantly, so any reducer fits ModuleDef's default.
  fn(ctx: ReducerContext<DB>, args: ArgsOf<A>): void | Rejection;
  readonly validate: ArgValidator;
}

export type LifecycleFn<DB> = (ctx: ReducerContext<DB>) => void;
export type SystemFn<DB> = (ctx: ReducerContext<DB>) => void;

export interface ModuleConfig<T extends TablesShape, R extends Record<string, ReducerDef<ColumnsShape, DbOf<T>>>> {
  reducers: R;
  /** Runs once, in the first tick of a new world (not after recovery). */
  onInit?: LifecycleFn<DbOf<T>>;
  /** ctx.sender connected / disconnected (each runs as its own transaction). */
  onConnect?: LifecycleFn<DbOf<T>>;
  onDisconnect?: LifecycleFn<DbOf<T>>;
  /** Per-tick systems, in order, after calls, lifecycle and scheduled reducers. */
  systems?: readonly SystemFn<DbOf<T>>[];
  /** Ticks per second (default 20). */
  tickRate?: number;
  /** A version label that goes into the module version hash. */
  version?: string;
}

export interface RuntimeConfig {
  readonly onInit?: (ctx: never) => void;
  readonly onConnect?: (ctx: never) => void;
  readonly onDisconnect?: (ctx: never) => void;
  readonly systems?: readonly ((ctx: never) => void)[];
}

export interface ModuleDef<T extends TablesShape = TablesShape, R extends Record<string, ReducerDef<ColumnsShape, never>> = Record<string, ReducerDef<ColumnsShape, never>>> {
  readonly kind: 'module';
  readonly tables: T;
  readonly reducers: R;
  /** Hooks with their context types erased: the world calls them with its own context. */
  readonly config: RuntimeConfig;
  readonly tableList: readonly AnyTableDef[];
  readonly reducerNames: readonly string[];
  readonly tickRate: number;
  /** Hash of the schema and reducer signatures: the replay log refuses a log written by another. */
  readonly versionHash: string;
}

/** Table rows of a module, for client code: `RowType<typeof game, 'player'>`. */
export type TablesOf<M> = M extends ModuleDef<infer T, infer _R> ? T : never;
export type ReducersOf<M> = M extends ModuleDef<infer _T, infer R> ? R : never;

export class Schema<T extends TablesShape> {
  constructor(readonly tables: T) {
    for (const [key, def] of Object.entries(tables)) {
      if (key !== def.name) throw new WorldlineError('SCHEMA', `schema({ ${key}: table('${def.name}', …) }): the key must equal the table name`);
      if (def.name.startsWith('__')) throw new WorldlineError('SCHEMA', `table '${def.name}': names starting with __ are reserved`);
    }
  }

  /** `fn` fails by throwing (fail(), or any error) or by returning reject(message). */
  reducer<A extends ColumnsShape>(args: A, fn: (ctx: ReducerContext<DbOf<T>>, args: ArgsOf<A>) => void | Rejection): ReducerDef<A, DbOf<T>> {
    return { kind: 'reducer', args, fn, validate: compileArgValidator(args) };
  }

  /** A per-tick system (runs every tick as its own transaction). */
  system(fn: SystemFn<DbOf<T>>): SystemFn<DbOf<T>> {
    return fn;
  }

  module<R extends Record<string, ReducerDef<ColumnsShape, DbOf<T>>>>(config: ModuleConfig<T, R>): ModuleDef<T, R> {
    const tickRate = config.tickRate ?? 20;
    if (!(tickRate > 0 && tickRate <= 1000)) throw new WorldlineError('SCHEMA', `tickRate must be in (0, 1000], got ${tickRate}`);
    const tableList = [...Object.values(this.tables), scheduleTable as AnyTableDef];
    const reducerNames = Object.keys(config.reducers);
    for (const name of reducerNames) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new WorldlineError('SCHEMA', `reducer name '${name}' must be an identifier`);
    }
    const signature = JSON.stringify({
      v: config.version ?? '',
      tables: tableList.map((d) => [d.name, d.columnList.map((c) => [c.name, c.kind, c.config.primaryKey, c.config.autoInc, c.config.unique, c.config.index, c.config.enumValues])]),
      reducers: reducerNames.map((n) => [n, Object.entries(config.reducers[n]!.args).map(([a, b]) => [a, b.config.kind, b.config.optional])]),
    });
    const versionHash = (hashString(signature, 0) >>> 0).toString(16).padStart(8, '0') + (hashString(signature, 1) >>> 0).toString(16).padStart(8, '0');
    return {
      kind: 'module', tables: this.tables, reducers: config.reducers,
      config,
      tableList, reducerNames, tickRate, versionHash,
    };
  }
}

export function schema<T extends TablesShape>(tables: T): Schema<T> {
  return new Schema(tables);
}
