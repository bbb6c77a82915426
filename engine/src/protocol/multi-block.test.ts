// Protocol version 2: a table may come in several blocks of one frame (e.g. one shared block per map
// cell). Per table, every block's deletes apply first (frame order), then every block's inserts,
// then every block's updates; validation spans the blocks; one change report per table.
import { describe, it, expect } from 'vitest';
import { ClientState, type Row } from './client-state.ts';
import { decodeTickUpdate } from './apply-updates.ts';
import { decodeFrame } from './frame-decoder.ts';
import { encodeFrame } from './frame-encoder.ts';
import { RowPieceEncoder } from './row-piece-encoder.ts';
import { ClientFrameAssembler } from './client-frame-assembler.ts';
import { HandleList } from './handles.ts';
import { ArrayRowReader } from './row-reader.ts';
import { ByteWriter } from './byte-writer.ts';
import { ProtocolError } from './errors.ts';
import { compileLayout, type ColumnValue, type TableLayout } from './layout.ts';
import type { TableUpdateData, TickUpdateFrame } from './frame-types.ts';

const layout: TableLayout = {
  id: 3, name: 'unit', pkIndex: 0,
  columns: [{ name: 'id', kind: 'u32' }, { name: 'x', kind: 'f32', quant: 0.5 }, { name: 'hp', kind: 'u8' }],
};
const other: TableLayout = { id: 4, name: 'tag', pkIndex: 0, columns: [{ name: 'id', kind: 'string' }] };
const L = compileLayout(layout);
const pieces = new RowPieceEncoder();
const asm = new ClientFrameAssembler(pieces);
const next = new ArrayRowReader(), prev = new ArrayRowReader();

type Values = readonly [number, number, number];
interface BlockSpec {
  /** (handle, row values) entering. */
  readonly ins?: readonly (readonly [number, Values])[];
  /** (handle, old values, new values). */
  readonly upd?: readonly (readonly [number, Values, Values])[];
  readonly del?: readonly number[];
  /** Rows the client holds after the frame: lets the assembler use the "all" handle set. */
  readonly heldRows?: number;
}

/** One table block of `unit`, built by the server's own assembler (then cut out of its frame). */
function block(spec: BlockSpec, reset = false): TableUpdateData {
  pieces.reset();
  const ins = new HandleList(), upd = new HandleList(), del = new HandleList();
  for (const [h, v] of spec.ins ?? []) {
    next.values = v;
    ins.push(h, pieces.encodeRow(L, next));
  }
  for (const [h, o, v] of spec.upd ?? []) {
    next.values = v;
    prev.values = o;
    upd.push(h, pieces.encodeUpdate(L, L.fullMask, next, prev));
  }
  for (const h of spec.del ?? []) del.push(h);
  asm.beginTick(1, 0, reset);
  asm.addTable(layout.id, ins, upd, del, spec.heldRows ?? -1);
  const f = decodeFrame(asm.finish(), { copyBytes: true }) as TickUpdateFrame;
  expect(f.tables).toHaveLength(1);
  return f.tables[0]!;
}

/** A TickUpdate whose `rows` are the given blocks, in order, as the client receives it. */
function frame(tables: TableUpdateData[], reset = false, tick = 2): Uint8Array {
  return encodeFrame({ type: 'tickUpdate', tick, time: tick * 50, reset, tables });
}

const row = (v: Values): Row => ({ id: v[0], x: v[1], hp: v[2] });

/** A client holding units 1..n under handles given by `handleOf` (ids as pks, x = id, hp 100). */
function holding(n: number, handleOf: (id: number) => number): ClientState {
  const state = new ClientState([layout, other]);
  const ins: [number, Values][] = [];
  for (let id = 1; id <= n; id++) ins.push([handleOf(id), [id, id, 100]]);
  decodeTickUpdate(frame([block({ ins })], false, 1), state);
  return state;
}

/** Everything the client holds, by handle (to compare before / after a refused frame). */
function contents(state: ClientState): [number, Row][] {
  const t = state.table('unit')!;
  return [...t.pkToHandle.values()].sort((a, b) => a - b).map((h) => [h, t.rowByHandle(h)!]);
}

function expectRefused(state: ClientState, bytes: Uint8Array, code: string): void {
  const before = contents(state), tick = state.tick;
  let err: unknown = null;
  try {
    decodeTickUpdate(bytes, state);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ProtocolError);
  expect((err as ProtocolError).code).toBe(code);
  expect(contents(state)).toEqual(before);
  const t = state.table('unit')!;
  for (const [h, r] of before) expect(t.rowByHandle(h)).toBe(r); // the very same row objects
  expect(t.anyMarked()).toBe(false);
  expect(state.tick).toBe(tick);
}

describe('several blocks of one table in a frame', () => {
  it('a row moving between two blocks: block 1 inserts pk 7 under a new handle, block 2 deletes its old one', () => {
    // Handles as a per-cell server numbers them: cell slot × 4096 + index in the cell.
    const state = holding(8, (id) => id);
    const t = state.table('unit')!;
    const oldRow = t.find(7)!;
    expect(t.pkToHandle.get(7)).toBe(7);
    const moved: Values = [7, 30, 90];
    const applied = decodeTickUpdate(frame([
      block({ ins: [[5 * 4096, moved]] }), // the cell it entered
      block({ del: [7] }), // the cell it left
    ]), state);
    expect(t.find(7)).toEqual(row(moved));
    expect(t.pkToHandle.get(7)).toBe(5 * 4096);
    expect(t.rowByHandle(5 * 4096)).toEqual(row(moved));
    expect(t.rowByHandle(7)).toBeUndefined();
    expect(t.size).toBe(8);
    expect(applied.tables).toHaveLength(1);
    const rep = applied.tables[0]!;
    expect(rep.table).toBe(t);
    expect(rep.deleted).toEqual([oldRow]);
    expect(rep.deleted[0]).toBe(oldRow);
    expect(rep.inserted).toEqual([row(moved)]);
    expect(rep.updated).toEqual([]);
    expect(t.anyMarked()).toBe(false);
  });

  it('an insert may reuse a handle a later block deletes (all deletes apply first)', () => {
    const state = holding(3, (id) => id);
    const t = state.table('unit')!;
    const applied = decodeTickUpdate(frame([block({ ins: [[2, [9, 1, 1]]] }), block({ del: [2] })]), state);
    expect(t.rowByHandle(2)).toEqual(row([9, 1, 1]));
    expect(t.find(2)).toBeUndefined();
    expect(applied.tables[0]!.deleted.map((r) => r.id)).toEqual([2]);
    expect(applied.tables[0]!.inserted.map((r) => r.id)).toEqual([9]);
  });

  it('applies updates spread over three blocks, with one report for the table', () => {
    const handleOf = (id: number): number => (id % 3) * 4096 + id; // three cells
    const state = holding(9, handleOf);
    const t = state.table('unit')!;
    const olds = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => t.find(id)!);
    const upd = (ids: number[]): BlockSpec => ({ upd: ids.map((id) => [handleOf(id), [id, id, 100], [id, id + 10, 100 - id]] as const) });
    const applied = decodeTickUpdate(frame([block(upd([3, 6, 9])), block(upd([1, 4, 7])), block(upd([2, 5, 8]))]), state);
    for (let id = 1; id <= 9; id++) expect(t.find(id)).toEqual(row([id, id + 10, 100 - id]));
    expect(applied.tables).toHaveLength(1);
    expect(applied.tables[0]!.updated.map((u) => u.row.id)).toEqual([3, 6, 9, 1, 4, 7, 2, 5, 8]);
    for (const u of applied.tables[0]!.updated) expect(u.old).toBe(olds[(u.row.id as number) - 1]);
    expect(state.tick).toBe(2);
  });

  it('one report per table when blocks of two tables interleave', () => {
    const state = holding(4, (id) => id);
    const tagBlock = (h: number, id: string): TableUpdateData => {
      const w = new ByteWriter();
      w.varint(h);
      w.utf8(id);
      return { tableId: other.id, deletes: new Uint8Array(0), inserts: w.buf.slice(0, w.pos), updates: new Uint8Array(0) };
    };
    const applied = decodeTickUpdate(frame([
      block({ upd: [[1, [1, 1, 100], [1, 5, 100]]] }), tagBlock(0, 'a'),
      block({ del: [2] }), tagBlock(9000, 'b'),
    ]), state);
    expect(applied.tables.map((r) => [r.table.name, r.inserted.length, r.updated.length, r.deleted.length])).toEqual([['unit', 0, 1, 1], ['tag', 2, 0, 0]]);
    expect(state.table('tag')!.find('b')).toEqual({ id: 'b' });
  });

  it('refuses a handle updated in two blocks (BAD_HANDLE), state unchanged', () => {
    const state = holding(5, (id) => id);
    expectRefused(state, frame([
      block({ upd: [[1, [1, 1, 100], [1, 2, 100]], [3, [3, 3, 100], [3, 4, 100]]] }),
      block({ upd: [[4, [4, 4, 100], [4, 5, 100]]] }),
      block({ upd: [[3, [3, 3, 100], [3, 9, 100]]] }),
    ]), 'BAD_HANDLE');
  });

  it('refuses two "all" handle sets, or "all" and another update, for one table', () => {
    const state = holding(4, (id) => id);
    const all = (): TableUpdateData => block({ upd: [1, 2, 3, 4].map((id) => [id, [id, id, 100], [id, id + 1, 100]] as const), heldRows: 4 });
    expect(all().updates[0]).toBe(3); // the one-byte "all" form
    expectRefused(state, frame([all(), all()]), 'BAD_HANDLE');
    expectRefused(state, frame([block({ upd: [[2, [2, 2, 100], [2, 7, 100]]] }), all()]), 'BAD_HANDLE');
    expectRefused(state, frame([all(), block({ upd: [[2, [2, 2, 100], [2, 7, 100]]] })]), 'BAD_HANDLE');
    // Alone it is fine.
    decodeTickUpdate(frame([all()]), state);
    expect(state.table('unit')!.find(4)).toEqual(row([4, 5, 100]));
  });

  it('refuses a delete in block 2 of a handle block 1 inserted', () => {
    const state = holding(3, (id) => id);
    expectRefused(state, frame([block({ ins: [[4096, [40, 0, 1]]] }), block({ del: [4096] })]), 'BAD_HANDLE');
  });

  it('refuses an update in block 1 of a handle block 2 deletes, or inserts', () => {
    const state = holding(3, (id) => id);
    expectRefused(state, frame([block({ upd: [[2, [2, 2, 100], [2, 3, 100]]] }), block({ del: [2] })]), 'BAD_HANDLE');
    expectRefused(state, frame([block({ upd: [[2, [2, 2, 100], [2, 3, 100]]] }), block({ del: [2], ins: [[2, [8, 0, 0]]] })]), 'BAD_HANDLE');
  });

  it('refuses the same handle or primary key inserted by two blocks, and a pk whose holder stays', () => {
    const state = holding(3, (id) => id);
    expectRefused(state, frame([block({ ins: [[10, [20, 0, 0]]] }), block({ ins: [[10, [21, 0, 0]]] })]), 'BAD_HANDLE');
    expectRefused(state, frame([block({ ins: [[10, [20, 0, 0]]] }), block({ ins: [[11, [20, 0, 0]]] })]), 'BAD_VALUE');
    expectRefused(state, frame([block({ ins: [[10, [2, 0, 0]]] }), block({ del: [3] })]), 'BAD_VALUE');
  });

  it('a reset frame may carry several blocks of a table (inserts only)', () => {
    const state = holding(4, (id) => id);
    const t = state.table('unit')!;
    const old1 = t.find(1)!;
    const applied = decodeTickUpdate(frame([
      block({ ins: [[0, [1, 1, 100]], [1, [2, 2, 50]]] }, true),
      block({ ins: [[4096, [5, 5, 100]]] }, true),
    ], true), state);
    expect(contents(state)).toEqual([[0, row([1, 1, 100])], [1, row([2, 2, 50])], [4096, row([5, 5, 100])]]);
    expect(applied.reset).toBe(true);
    expect(applied.tables).toHaveLength(1);
    const rep = applied.tables[0]!;
    expect(rep.inserted.map((r) => r.id)).toEqual([5]);
    expect(rep.updated).toEqual([{ old: row([2, 2, 100]), row: row([2, 2, 50]) }]);
    expect(rep.deleted.map((r) => r.id)).toEqual([3, 4]);
    expect(t.find(1)).not.toBe(old1); // replaced by the resent (equal) row, not reported
    // A pk or handle sent twice across the blocks of a reset is still refused.
    expectRefused(state, frame([block({ ins: [[0, [1, 1, 1]]] }, true), block({ ins: [[9, [1, 1, 1]]] }, true)], true), 'BAD_VALUE');
  });
});

describe('sparse handles (slot × 4096 + index), one block per cell', () => {
  it('applies per-cell blocks, and an "all" set walks only what is held', () => {
    const cellOf = (id: number): number => (id * 37) % 256; // handles spread up to ~2^20
    const handleOf = (id: number): number => cellOf(id) * 4096 + id;
    const state = holding(200, handleOf);
    const t = state.table('unit')!;
    expect(t.size).toBe(200);
    for (let id = 1; id <= 200; id++) expect(t.rowByHandle(handleOf(id))).toBe(t.find(id));
    expect(t.rowByHandle(handleOf(1) + 1)).toBeUndefined();
    expect(t.rowByHandle(-1)).toBeUndefined();
    expect(t.rowByHandle(1.5)).toBeUndefined();
    // One block per cell: every row moves by +1; row 1 also changes cell (delete here, insert there).
    const cells = new Map<number, BlockSpec & { upd: [number, Values, Values][]; ins: [number, Values][]; del: number[] }>();
    const cellBlock = (c: number) => cells.get(c) ?? cells.set(c, { upd: [], ins: [], del: [] }).get(c)!;
    for (let id = 2; id <= 200; id++) cellBlock(cellOf(id)).upd.push([handleOf(id), [id, id, 100], [id, id + 1, 100]]);
    cellBlock(cellOf(1)).del.push(handleOf(1));
    cellBlock(255).ins.push([255 * 4096 + 4000, [1, 2, 100]]);
    const blocks = [...cells.values()].map((spec) => block(spec));
    expect(blocks.length).toBeGreaterThan(100);
    let applied = decodeTickUpdate(frame(blocks), state);
    expect(applied.tables).toHaveLength(1);
    expect(applied.tables[0]!.updated).toHaveLength(199);
    expect(t.pkToHandle.get(1)).toBe(255 * 4096 + 4000);
    for (let id = 1; id <= 200; id++) expect(t.find(id)!.x).toBe(id + 1);
    // "All" (one block): every held row, ascending by handle.
    const held = [...t.pkToHandle].sort((a, b) => a[1] - b[1]);
    const all = block({ upd: held.map(([id, h]) => [h, [id as number, (id as number) + 1, 100], [id as number, (id as number) + 2, 100]] as const), heldRows: 200 });
    expect(all.updates[0]).toBe(3);
    applied = decodeTickUpdate(frame([all], false, 3), state);
    expect(applied.tables[0]!.updated).toHaveLength(200);
    for (let id = 1; id <= 200; id++) expect(t.find(id)!.x).toBe(id + 2);
    expect([...t.iter()]).toHaveLength(200);
  });
});

describe('protocol version', () => {
  it('is 2 in every frame (several blocks per table is an incompatible change)', () => {
    const bytes = frame([block({ del: [1] })]);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const root = dv.getUint32(0, true);
    const vt = root - dv.getInt32(root, true);
    expect(dv.getUint16(root + dv.getUint16(vt + 4, true), true)).toBe(2);
  });
});
