// fast-check generators for frames and table layouts (normalized the way decodeFrame returns them).
import fc from 'fast-check';
import type { ColumnKind, ColumnLayout, TableLayout, ReducerLayout } from '../layout.ts';
import type { Frame, TableUpdateData } from '../frame-types.ts';

const KINDS: ColumnKind[] = ['u8', 'u16', 'u32', 'i8', 'i16', 'i32', 'f32', 'f64', 'bool', 'enum', 'string', 'identity', 'bytes'];
const PK_KINDS: ColumnKind[] = ['u8', 'u16', 'u32', 'i8', 'i16', 'i32', 'string', 'identity', 'enum'];

export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
const bytes = fc.uint8Array({ maxLength: 40 });
const steps = fc.constantFrom(0.01, 0.1, 0.5, 1, 0.25, 0.3, 0.001, 2, 1 / 3);

export function column(name: string, kind: ColumnKind, quant: number | null, enumCount: number): ColumnLayout {
  return {
    name, kind,
    quant: kind === 'f32' || kind === 'f64' ? quant : null,
    enumValues: kind === 'enum' ? Array.from({ length: enumCount }, (_, i) => `v${i}`) : null,
  };
}

const columnSpec = fc.record({
  kind: fc.constantFrom(...KINDS),
  quant: fc.option(steps, { nil: null }),
  enumCount: fc.integer({ min: 1, max: 5 }),
});

/** A valid table layout with `id`: 1..maxCols columns, the pk of a sendable kind. */
export function tableLayout(id: number, maxCols = 8): fc.Arbitrary<TableLayout> {
  return fc.record({
    pkKind: fc.constantFrom(...PK_KINDS),
    cols: fc.array(columnSpec, { minLength: 0, maxLength: maxCols - 1 }),
    pkAt: fc.nat(),
    spatial: fc.boolean(),
    owner: fc.boolean(),
  }).map(({ pkKind, cols, pkAt, spatial, owner }) => {
    const specs = [...cols];
    const pkIndex = pkAt % (specs.length + 1);
    specs.splice(pkIndex, 0, { kind: pkKind, quant: null, enumCount: 3 });
    const columns = specs.map((c, i) => column(`c${i}`, c.kind, c.quant, c.enumCount));
    const ownerIndex = columns.findIndex((c) => c.kind === 'identity');
    const layout: TableLayout = {
      id, name: `t${id}`, columns, pkIndex,
      visibility: owner && ownerIndex >= 0 ? 'owner' : 'public',
      ...(owner && ownerIndex >= 0 ? { ownerIndex } : {}),
      spatial: spatial ? { x: 0, y: columns.length - 1 } : null,
    };
    return layout;
  });
}

const reducer = (id: number): fc.Arbitrary<ReducerLayout> =>
  fc.array(fc.record({ spec: columnSpec, optional: fc.boolean() }), { maxLength: 4 }).map((args) => ({
    id, name: `r${id}`,
    args: args.map(({ spec, optional }, i) => ({ ...column(`a${i}`, spec.kind, spec.quant, spec.enumCount), ...(optional ? { optional: true } : {}) })),
  }));

const tableUpdate: fc.Arbitrary<TableUpdateData> = fc.record({ tableId: u16, inserts: bytes, updates: bytes, deletes: bytes });

export const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), token: fc.option(str, { nil: null }), moduleVersion: fc.option(str, { nil: null }) }),
  fc.record({
    type: fc.constant('welcome' as const), identity: str, token: str, connectionId: u32, moduleVersion: str,
    tickRate: u16, tick: u32,
    tables: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => tableLayout(i * 7 + 1)))),
    reducers: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => reducer(i)))),
  }),
  fc.record({
    type: fc.constant('callBatch' as const),
    calls: fc.array(fc.record({ requestId: u32, reducerId: u16, reducerName: fc.option(str.filter((s) => s.length > 0), { nil: null }), args: bytes }), { maxLength: 6 }),
  }),
  fc.record({
    type: fc.constant('callResults' as const), tick: u32, ok: fc.array(u32, { maxLength: 8 }),
    failed: fc.array(fc.record({ requestId: u32, code: str, message: str }), { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('subscribe' as const), queryId: u32, tableId: u16,
    filters: fc.array(fc.record({
      column: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('eq' as const, 'range' as const, 'ownerIsMe' as const),
      value: fc.option(bytes, { nil: null }), hi: fc.option(bytes, { nil: null }),
    }), { maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('unsubscribe' as const), queryId: u32 }),
  fc.record({ type: fc.constant('subscriptionApplied' as const), queryId: u32, tick: u32, tables: fc.array(tableUpdate, { maxLength: 3 }) }),
  fc.record({
    type: fc.constant('setArea' as const), queryId: u32, tableId: u16,
    area: fc.oneof(
      fc.record({ shape: fc.constant('rect' as const), x: finite, y: finite, halfWidth: finite.map(Math.abs), halfHeight: finite.map(Math.abs) }),
      fc.record({ shape: fc.constant('circle' as const), x: finite, y: finite, radius: finite.map(Math.abs) }),
    ),
    follow: fc.option(fc.record({ tableId: u16, pk: bytes }), { nil: null }),
    margin: fc.option(finite.map(Math.abs), { nil: null }),
  }),
  fc.record({ type: fc.constant('tickUpdate' as const), tick: u32, time: finite, reset: fc.boolean(), tables: fc.array(tableUpdate, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('error' as const), code: str, message: str, requestId: u32, queryId: u32, fatal: fc.boolean() }),
  fc.record({ type: fc.constantFrom('ping' as const, 'pong' as const), id: u32, time: finite }),
);
