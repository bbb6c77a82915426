// Compiles subscriptions and areas to Subscribe / SetArea frames against one connection's table
// layouts (table ids and column positions come from its Welcome, so they may change between
// connections). Bad names or values throw a ClientError naming what to fix.
import { Encoder } from '@msgpack/msgpack';
import { ClientError } from './errors.ts';
import { me } from './types.ts';
import type { ClientState, Filter as WireFilter, SubscribeFrame, SetAreaFrame, Area } from '@worldline/engine/protocol/index.ts';
import type { Entry, AreaSpec } from './subscriptions.ts';

const encoder = new Encoder({ ignoreUndefined: true });

function pack(v: unknown, what: string): Uint8Array {
  try {
    return encoder.encode(v);
  } catch (e) {
    throw new ClientError('BAD_ARGUMENTS', `${what} cannot be encoded: ${(e as Error).message}`);
  }
}

function tableOf(state: ClientState, name: string) {
  const t = state.byName.get(name);
  if (!t) throw new ClientError('UNKNOWN_TABLE', `table '${name}' is not sent to clients: it does not exist or is private`);
  return t;
}

function isRange(v: unknown): v is { gte?: unknown; lte?: unknown } {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && ('gte' in v || 'lte' in v);
}

/** The frame that (re-)establishes `e` on a connection whose tables are `state`. */
export function entryFrame(e: Entry, state: ClientState): SubscribeFrame | SetAreaFrame {
  const t = tableOf(state, e.table);
  const L = t.layout.layout;
  if (e.area) return areaFrame(e.id, e.area, state);
  const filters: WireFilter[] = [];
  for (const [col, v] of Object.entries(e.filter ?? {})) {
    if (v === undefined) continue;
    const column = L.columns.findIndex((c) => c.name === col);
    if (column < 0) throw new ClientError('UNKNOWN_COLUMN', `table '${e.table}' has no column '${col}'`, { queryId: e.id });
    if (v === me) filters.push({ column, op: 'ownerIsMe', value: null, hi: null });
    else if (isRange(v)) {
      filters.push({
        column, op: 'range',
        value: v.gte === undefined ? null : pack(v.gte, `filter ${col}.gte`),
        hi: v.lte === undefined ? null : pack(v.lte, `filter ${col}.lte`),
      });
    } else filters.push({ column, op: 'eq', value: pack(v, `filter ${col}`), hi: null });
  }
  return { type: 'subscribe', queryId: e.id, tableId: L.id, filters };
}

function areaFrame(queryId: number, a: AreaSpec, state: ClientState): SetAreaFrame {
  const t = tableOf(state, a.table);
  if (!t.layout.layout.spatial) {
    throw new ClientError('BAD_SUBSCRIPTION', `table '${a.table}' has no spatial index; declare table(..., { spatial: { x, y } }) to use areas`, { queryId });
  }
  const x = a.x ?? 0, y = a.y ?? 0;
  let area: Area;
  if (a.radius !== undefined && a.rect === undefined) area = { shape: 'circle', x, y, radius: a.radius };
  else if (a.rect !== undefined && a.radius === undefined) area = { shape: 'rect', x, y, halfWidth: a.rect.halfWidth, halfHeight: a.rect.halfHeight };
  else throw new ClientError('BAD_ARGUMENTS', 'an area needs exactly one of radius or rect', { queryId });
  const sizes = area.shape === 'circle' ? [area.radius] : [area.halfWidth, area.halfHeight];
  if (![x, y, ...sizes].every(Number.isFinite) || sizes.some((s) => s < 0)) {
    throw new ClientError('BAD_ARGUMENTS', 'an area needs a finite centre and finite, non-negative sizes', { queryId });
  }
  let follow: SetAreaFrame['follow'] = null;
  const f = a.follow;
  if (f !== undefined && f !== null) {
    if (typeof f === 'object' && 'table' in f && 'pk' in f) {
      follow = { tableId: tableOf(state, String(f.table)).layout.id, pk: pack(f.pk, 'follow.pk') };
    } else follow = { tableId: t.layout.id, pk: pack(f, 'follow') };
  }
  return { type: 'setArea', queryId, tableId: t.layout.id, area, follow, margin: a.margin ?? null };
}
