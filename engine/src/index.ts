// Worldline engine: the public face a studio imports.
export { t, type Identity, type RowOf, type InsertOf, type ArgsOf, type ColumnKind } from './schema/column.ts';
export { table, type TableDef, type TableOptions } from './schema/table-def.ts';
export { schema, type ModuleDef, type ReducerDef, type DbOf, type TablesOf, type ReducersOf } from './module/define.ts';
export { fail, reject, Rejection, SenderError, WorldlineError, type ErrorCode } from './errors/index.ts';
export type { ReducerContext } from './tx/reducer-context.ts';
export { WORLD_IDENTITY } from './tx/reducer-context.ts';
export type { TableHandle } from './tx/table-handle.ts';
export type { ChangeSet, TableChanges } from './tx/change-set.ts';
export { World, createWorld } from './tick/world.ts';
export type { WorldImage, TableImage } from './tick/image.ts';
export type { TickInput, TickInputRecord, TickReport, CallResult, Logger, WorldOptions } from './tick/types.ts';
export { consoleLogger, silentLogger } from './tick/types.ts';
export type { Phase, PhaseStats } from './tick/timings.ts';
