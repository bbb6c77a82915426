// The row codec end to end: a server encodes each change once, assembles a frame per client, and
// every client's decoded state equals the (quantized) server rows it is meant to see.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ServerSim, type SimClient } from './test-support/server-sim.ts';
import { mulberry32, randomValue, newPk, clientValue, type Rand } from './test-support/random-rows.ts';
import { tableLayout } from './test-support/arbitraries.ts';
import { ClientState, type PkValue } from './client-state.ts';
import { decodeTickUpdate } from './apply-updates.ts';
import { compileLayout, type ColumnValue, type TableLayout } from './layout.ts';
import { RowPieceEncoder } from './row-piece-encoder.ts';
import { ClientFrameAssembler } from './client-frame-assembler.ts';
import { ObjectRowReader } from './row-reader.ts';
import { HandleList } from './handles.ts';

function sameCell(a: ColumnValue | undefined, b: ColumnValue): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((v, i) => v === b[i]);
  return Object.is(a, b);
}

/** The client's rows equal the server's (as clients see them) for its view; checked cheaply, with
 * a readable expect() only on a mismatch. */
function expectClientMatches(sim: ServerSim, client: SimClient, state: ClientState): void {
  for (const [id, L] of sim.layouts) {
    const rows = sim.rows.get(id)!;
    const table = state.table(id)!;
    const visible = [...client.wants.get(id)!].filter((pk) => rows.has(pk));
    expect(table.size).toBe(visible.length);
    for (const pk of visible) {
      const got = table.find(pk);
      const want: Record<string, ColumnValue> = {};
      rows.get(pk)!.forEach((v, c) => (want[L.names[c]!] = clientValue(L, c, v)));
      if (got === undefined || L.names.some((n) => !sameCell(got[n], want[n]!))) {
        expect(got, `row ${String(pk)} of ${L.name}`).toEqual(want);
      }
    }
  }
}

/** One random tick of server writes and view changes. */
function mutate(r: Rand, sim: ServerSim, clients: readonly SimClient[]): void {
  for (const [id, L] of sim.layouts) {
    const rows = sim.rows.get(id)!;
    const inserts = Math.floor(r() * 6);
    for (let i = 0; i < inserts && rows.size < 40; i++) {
      const pk = newPk(r, L, new Set(rows.keys()));
      if (pk === null) break;
      const values = L.names.map((_, c) => (c === L.pkIndex ? pk : randomValue(r, L, c)));
      sim.upsert(id, values);
    }
    for (const [pk, values] of [...rows]) {
      const p = r();
      if (p < 0.08) sim.remove(id, pk);
      else if (p < 0.7) {
        const next = values.slice();
        for (let c = 0; c < L.ncols; c++) if (c !== L.pkIndex && r() < 0.4) next[c] = randomValue(r, L, c, values[c]);
        sim.upsert(id, next);
      }
    }
    for (const client of clients) {
      const wants = client.wants.get(id)!;
      for (const pk of rows.keys()) if (r() < 0.3) wants.add(pk);
      for (const pk of [...wants]) if (r() < 0.1 || !rows.has(pk)) wants.delete(pk);
    }
  }
}

describe('row codec round trip', () => {
  it('keeps every client equal to the quantized server rows it sees (random layouts and changes)', () => {
    const layouts = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => tableLayout(i * 3 + 1, 12))));
    fc.assert(fc.property(layouts, fc.integer(), fc.integer({ min: 1, max: 3 }), (tables: TableLayout[], seed, nClients) => {
      const r = mulberry32(seed);
      const sim = new ServerSim(tables);
      const clients = Array.from({ length: nClients }, () => sim.newClient());
      const states = clients.map(() => new ClientState(tables));
      for (let tick = 0; tick < 12; tick++) {
        mutate(r, sim, clients);
        sim.useHeldRows = r() < 0.7;
        const frames = sim.publish(clients, r() < 0.08);
        frames.forEach((f, i) => decodeTickUpdate(f, states[i]!));
        clients.forEach((c, i) => expectClientMatches(sim, c, states[i]!));
      }
    }), { numRuns: 100 });
  });

  it('reports inserts, updates and deletes, with the old row for updates', () => {
    const layout: TableLayout = { id: 1, name: 'e', pkIndex: 0, columns: [{ name: 'id', kind: 'u32' }, { name: 'x', kind: 'f32', quant: 0.5 }, { name: 'hp', kind: 'u8' }] };
    const sim = new ServerSim([layout]);
    const client = sim.newClient();
    const state = new ClientState([layout]);
    sim.upsert(1, [1, 0, 100]);
    sim.upsert(1, [2, 0, 100]);
    client.wants.get(1)!.add(1).add(2);
    let applied = decodeTickUpdate(sim.publish([client])[0]!, state);
    expect(applied.tables[0]!.inserted.map((row) => row.id)).toEqual([1, 2]);

    sim.upsert(1, [1, 2.2, 90]); // x quantizes to 2 (step 0.5)
    sim.upsert(1, [2, 0.1, 100]); // below the step: nothing visible changed
    applied = decodeTickUpdate(sim.publish([client])[0]!, state);
    expect(applied.tables[0]!.updated).toEqual([{ old: { id: 1, x: 0, hp: 100 }, row: { id: 1, x: 2, hp: 90 } }]);

    sim.remove(1, 2);
    applied = decodeTickUpdate(sim.publish([client])[0]!, state);
    expect(applied.tables[0]!.deleted).toEqual([{ id: 2, x: 0, hp: 100 }]);
    expect(state.table('e')!.size).toBe(1);
  });

  it('a resync (reset) reports the difference from what the client held', () => {
    const layout: TableLayout = { id: 1, name: 'e', pkIndex: 0, columns: [{ name: 'id', kind: 'u32' }, { name: 'v', kind: 'i32' }] };
    const sim = new ServerSim([layout]);
    const client = sim.newClient();
    const state = new ClientState([layout]);
    for (const id of [1, 2, 3]) sim.upsert(1, [id, id]);
    client.wants.get(1)!.add(1).add(2).add(3);
    decodeTickUpdate(sim.publish([client])[0]!, state);
    // The client misses some ticks (backpressure): row 1 changes, row 2 goes, row 4 arrives.
    sim.upsert(1, [1, 10]);
    sim.remove(1, 2);
    sim.upsert(1, [4, 4]);
    client.wants.get(1)!.add(4);
    sim.publish([]);
    const applied = decodeTickUpdate(sim.publish([client], true)[0]!, state);
    expect(applied.reset).toBe(true);
    const rep = applied.tables[0]!;
    expect(rep.inserted.map((row) => row.id)).toEqual([4]);
    expect(rep.updated).toEqual([{ old: { id: 1, v: 1 }, row: { id: 1, v: 10 } }]);
    expect(rep.deleted.map((row) => row.id)).toEqual([2]);
    expectClientMatches(sim, client, state);
  });

  it('SubscriptionApplied carries the initial rows of a query through the same codec', () => {
    const layout: TableLayout = { id: 5, name: 'item', pkIndex: 1, columns: [{ name: 'kind', kind: 'enum', enumValues: ['sword', 'shield'] }, { name: 'id', kind: 'string' }] };
    const L = compileLayout(layout);
    const pieces = new RowPieceEncoder();
    const asm = new ClientFrameAssembler(pieces);
    const reader = new ObjectRowReader(L.names);
    const inserts = new HandleList();
    reader.row = { kind: 'shield', id: 'a' };
    inserts.push(0, pieces.encodeRow(L, reader));
    reader.row = { kind: 1, id: 'b' }; // enums may be given as their index
    inserts.push(1, pieces.encodeRow(L, reader));
    asm.beginSubscriptionApplied(77, 12);
    asm.addTable(5, inserts, null, null);
    const state = new ClientState([layout]);
    const applied = decodeTickUpdate(asm.finish(), state);
    expect(applied.queryId).toBe(77);
    expect(applied.tables[0]!.inserted).toEqual([{ kind: 'shield', id: 'a' }, { kind: 'shield', id: 'b' }]);
    expect(state.table('item')!.find('b')).toEqual({ kind: 'shield', id: 'b' });
  });
});
