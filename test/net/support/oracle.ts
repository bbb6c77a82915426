// What a client should hold, computed from the server's own tables: rows inside an area (with the
// documented hysteresis: within radius always, beyond radius + margin never, in between either way),
// whole tables, owner-only rows. Each check returns a list of problems, empty when the client agrees,
// so a failing test prints exactly which rows differ and how.
import { quantizedValue, type ClientState, type TableLayout } from '@worldline/engine/protocol/index.ts';

type ServerRow = Record<string, unknown>;

/** The part of a World the oracle reads (any module's world fits). */
export interface TablesSource {
  readonly db: { readonly byName: ReadonlyMap<string, { readonly count: number; rowAt(slot: number): ServerRow }> };
}

/** Every row of a server table (iterating the live store). */
export function serverRows(world: TablesSource, table: string): ServerRow[] {
  const store = world.db.byName.get(table);
  if (!store) throw new Error(`no table ${table} on the server`);
  const rows: ServerRow[] = [];
  for (let s = 0; s < store.count; s++) rows.push(store.rowAt(s));
  return rows;
}

/** The value a client must hold for server value `v` in column `col` of `layout`. */
function wireValue(layout: TableLayout, col: number, v: unknown): unknown {
  const q = layout.columns[col]!.quant;
  return q && typeof v === 'number' ? quantizedValue(v, q) : v;
}

/** Problems with one held row: every column must equal the server's (quantized where it quantizes). */
function rowProblems(who: string, layout: TableLayout, server: ServerRow, client: Record<string, unknown>): string[] {
  const out: string[] = [];
  layout.columns.forEach((c, i) => {
    const want = wireValue(layout, i, server[c.name]);
    if (!Object.is(client[c.name], want)) out.push(`${who}: ${layout.name} ${String(server[layout.columns[layout.pkIndex]!.name])}.${c.name} is ${String(client[c.name])}, server has ${String(want)}`);
  });
  return out;
}

export interface AreaCheck {
  readonly table: string;
  readonly centre: { readonly x: number; readonly y: number };
  readonly radius: number;
  readonly margin: number;
}

/** Checks a client's copy of `area.table` against the server: rows within the radius present and
 * equal, none beyond radius + margin, no row the server does not have. */
export function areaProblems(who: string, world: TablesSource, state: ClientState, area: AreaCheck): string[] {
  const ct = state.table(area.table);
  if (!ct) return [`${who}: no table ${area.table} in Welcome`];
  const l = ct.layout.layout;
  const pkName = ct.pkName;
  const out: string[] = [];
  const spatial = l.spatial!;
  const xName = l.columns[spatial.x]!.name, yName = l.columns[spatial.y]!.name;
  const seen = new Set<unknown>();
  for (const row of serverRows(world, area.table)) {
    const pk = row[pkName] as number | string;
    seen.add(pk);
    const d = Math.hypot((row[xName] as number) - area.centre.x, (row[yName] as number) - area.centre.y);
    const held = ct.find(pk);
    if (d <= area.radius && !held) out.push(`${who}: ${area.table} ${pk} at distance ${d.toFixed(3)} (radius ${area.radius}) is missing`);
    if (d > area.radius + area.margin && held) out.push(`${who}: ${area.table} ${pk} at distance ${d.toFixed(3)} is beyond radius + margin ${area.radius + area.margin} but held`);
    if (held) out.push(...rowProblems(who, l, row, held));
  }
  for (const row of ct.iter()) if (!seen.has(row[pkName])) out.push(`${who}: holds ${area.table} ${String(row[pkName])}, which the server does not have`);
  return out;
}

/** Checks that the client holds exactly `expected` rows of `table` (server rows), with equal values. */
export function exactProblems(who: string, state: ClientState, table: string, expected: readonly ServerRow[]): string[] {
  const ct = state.table(table);
  if (!ct) return [`${who}: no table ${table} in Welcome`];
  const l = ct.layout.layout;
  const out: string[] = [];
  const want = new Set<unknown>();
  for (const row of expected) {
    const pk = row[ct.pkName] as number | string;
    want.add(pk);
    const held = ct.find(pk);
    if (!held) out.push(`${who}: ${table} ${pk} is missing`);
    else out.push(...rowProblems(who, l, row, held));
  }
  for (const row of ct.iter()) if (!want.has(row[ct.pkName])) out.push(`${who}: holds ${table} ${String(row[ct.pkName])}, which it should not`);
  return out;
}

/** The primary keys a client holds in `table`, sorted. */
export function heldKeys(state: ClientState, table: string): unknown[] {
  const ct = state.table(table);
  if (!ct) return [];
  return [...ct.iter()].map((r) => r[ct.pkName]).sort(compareKeys);
}

export function compareKeys(a: unknown, b: unknown): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}
