// Turns a client's query and area requests into checked definitions, with errors that say what to
// change. Visibility is decided here once: private tables are refused, and on owner-only tables a
// whole-table subscription becomes "owner = me".
import { WorldlineError } from '../errors/index.ts';
import type { TableStore } from '../table/table-store.ts';
import type { Database } from '../table/database.ts';
import type { AreaShape } from './area-set.ts';
import type { QueryDef, AreaDef } from './client.ts';
import type { QuerySpec, AreaSpec } from './types.ts';

const bad = (msg: string): never => { throw new WorldlineError('BAD_ARGUMENTS', msg); };

/** The table a client may subscribe to (not private), by name. */
export function subscribableTable(db: Database, name: unknown): TableStore {
  const st = typeof name === 'string' ? db.byName.get(name) : undefined;
  if (!st || name === '__schedule') {
    const names = db.tables.filter((t) => t.def.options.visibility !== 'private' && t.name !== '__schedule').map((t) => t.name);
    throw new WorldlineError('NOT_FOUND', `no table ${JSON.stringify(name)}; subscribable tables: ${names.join(', ')}`);
  }
  if (st.def.options.visibility === 'private') bad(`table '${st.name}' is private: its rows are never sent to clients`);
  return st;
}

function column(st: TableStore, name: unknown): number {
  const c = typeof name === 'string' ? st.colOf(name) : -1;
  if (c < 0) bad(`table '${st.name}' has no column ${JSON.stringify(name)}; columns: ${st.columns.map((x) => x.name).join(', ')}`);
  return c;
}

function isStr(st: TableStore, c: number): boolean {
  const k = st.columns[c]!.kind;
  return k === 'string' || k === 'identity';
}

function ownerColumn(st: TableStore, col: unknown): number {
  if (col !== undefined) {
    const c = column(st, col);
    if (st.columns[c]!.kind !== 'identity') bad(`ownerIsMe: ${st.name}.${String(col)} is not an identity column`);
    return c;
  }
  const vis = st.def.options.visibility;
  if (vis && typeof vis === 'object') return st.colIndex[vis.owner]!;
  const ids = st.columns.filter((x) => x.kind === 'identity');
  if (ids.length !== 1) bad(`ownerIsMe: table '${st.name}' has ${ids.length} identity columns; name one with { ownerIsMe: true, col }`);
  return ids[0]!.index;
}

export function compileQuery(db: Database, queryId: number, spec: QuerySpec, identity: string): QueryDef {
  if (!Number.isInteger(queryId) || queryId < 0 || queryId > 0xffffffff) bad(`query id must be an integer in 0..2^32-1, got ${String(queryId)}`);
  if (typeof spec !== 'object' || spec === null) bad('a subscription is { table, filter? }');
  const st = subscribableTable(db, spec.table);
  const vis = st.def.options.visibility;
  const ownerOnly = vis !== undefined && typeof vis === 'object';
  const base = { queryId, tableIndex: st.index, key: 0 as number | string, lo: 0, hi: 0 };
  const f = spec.filter as Record<string, unknown> | null | undefined;
  if (f === undefined || f === null) {
    // On an owner-only table "everything" means "everything of mine": route it by the owner column.
    if (ownerOnly) return { ...base, kind: 'eq', col: st.colIndex[vis.owner]!, key: identity };
    return { ...base, kind: 'all', col: -1 };
  }
  if (typeof f !== 'object') bad('filter must be { col, eq }, { col, range: [lo, hi] } or { ownerIsMe: true }');
  if (f['ownerIsMe'] === true) return { ...base, kind: 'eq', col: ownerColumn(st, f['col']), key: identity };
  const c = column(st, f['col']);
  const name = `${st.name}.${st.columns[c]!.name}`;
  if ('eq' in f) {
    if (c !== st.pkCol && !st.uniques[c] && !st.multi[c]) bad(`${name} has no index: declare .index(), .unique() or .primaryKey() on it to filter by it`);
    const v = f['eq'];
    if (isStr(st, c)) {
      if (typeof v !== 'string') bad(`${name} holds strings; eq must be a string, got ${typeof v}`);
      return { ...base, kind: 'eq', col: c, key: v as string };
    }
    const k = st.keyOf(c, v);
    if (k !== k) bad(`${name} is ${st.columns[c]!.kind}; ${JSON.stringify(v)} is not a value it can hold`);
    return { ...base, kind: 'eq', col: c, key: k };
  }
  if ('range' in f) {
    const r = f['range'];
    const mi = st.multi[c];
    if (!mi || mi.kind !== 'btree') bad(`${name} needs .index('btree') for range filters`);
    if (isStr(st, c) || st.columns[c]!.kind === 'bool' || st.columns[c]!.kind === 'enum') bad(`${name}: range filters apply to numeric columns`);
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number' || !(r[0] <= r[1])) {
      bad(`range must be [lo, hi] with numbers lo <= hi, got ${JSON.stringify(r)}`);
    }
    const [lo, hi] = r as [number, number];
    return { ...base, kind: 'range', col: c, lo, hi };
  }
  return bad('filter must be { col, eq }, { col, range: [lo, hi] } or { ownerIsMe: true }');
}

function positive(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) bad(`${what} must be a positive finite number, got ${String(v)}`);
  return v as number;
}

export function compileArea(db: Database, spec: AreaSpec, defaultMargin: number | undefined): AreaDef {
  if (typeof spec !== 'object' || spec === null) bad('an area is { table, radius | rect, x?, y?, follow?, margin? }');
  const st = subscribableTable(db, spec.table);
  if (!st.spatial) bad(`table '${st.name}' has no spatial index: declare { spatial: { x, y } } on it to use areas`);
  if ((spec.radius === undefined) === (spec.rect === undefined)) bad('an area needs exactly one of radius or rect');
  const radius = spec.radius !== undefined ? positive(spec.radius, 'radius') : 0;
  const hw = spec.rect ? positive(spec.rect.halfWidth, 'rect.halfWidth') : 0;
  const hh = spec.rect ? positive(spec.rect.halfHeight, 'rect.halfHeight') : 0;
  const size = radius > 0 ? radius : Math.min(hw, hh);
  let margin = spec.margin ?? defaultMargin ?? Math.max(1, size * 0.1);
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) margin = bad(`margin must be a finite number >= 0, got ${String(margin)}`);
  const shape: AreaShape = { radius, halfWidth: hw, halfHeight: hh, margin };
  const x = spec.x ?? 0, y = spec.y ?? 0;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) bad('area x and y must be finite numbers');
  let followStore: TableStore | null = null, followX = -1, followY = -1;
  if (spec.follow !== undefined && spec.follow !== null) {
    const ft = spec.followTable ?? spec.table;
    followStore = db.byName.get(ft) ?? bad(`followTable: no table ${JSON.stringify(ft)}`);
    followX = followStore.spatial ? followStore.spX : followStore.colOf('x');
    followY = followStore.spatial ? followStore.spY : followStore.colOf('y');
    if (followX < 0 || followY < 0) bad(`table '${ft}' has no spatial index and no x / y columns: an area cannot follow its rows`);
    const pkKind = followStore.columns[followStore.pkCol]!.kind;
    if (typeof spec.follow !== (pkKind === 'string' || pkKind === 'identity' ? 'string' : 'number')) {
      bad(`follow must be a primary key of '${ft}' (${pkKind}), got ${JSON.stringify(spec.follow)}`);
    }
  }
  return { tableIndex: st.index, shape, x, y, followStore, followPk: spec.follow ?? null, followX, followY };
}
