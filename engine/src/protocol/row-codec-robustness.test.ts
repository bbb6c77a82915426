// Hostile row data: applying garbage sections to a client state throws only ProtocolErrors and
// leaves the state exactly as it was (decode-then-commit).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ServerSim } from './test-support/server-sim.ts';
import { ClientState, type Row } from './client-state.ts';
import { applyTableUpdates, applyFrame, decodeTickUpdate } from './apply-updates.ts';
import { decodeFrame } from './frame-decoder.ts';
import { ProtocolError } from './errors.ts';
import type { TableLayout } from './layout.ts';
import type { TableUpdateData, TickUpdateFrame } from './frame-types.ts';

const layout: TableLayout = {
  id: 2, name: 'unit', pkIndex: 0,
  columns: [
    { name: 'id', kind: 'u16' }, { name: 'x', kind: 'f32', quant: 0.01 }, { name: 'alive', kind: 'bool' },
    { name: 'name', kind: 'string' }, { name: 'owner', kind: 'identity' }, { name: 'kind', kind: 'enum', enumValues: ['a', 'b'] },
    { name: 'blob', kind: 'bytes' }, { name: 'hp', kind: 'i32' },
  ],
};

function populated(): { state: ClientState; frames: TickUpdateFrame[] } {
  const sim = new ServerSim([layout]);
  const client = sim.newClient();
  const state = new ClientState([layout]);
  const frames: TickUpdateFrame[] = [];
  for (let id = 0; id < 30; id++) {
    sim.upsert(2, [id, id * 1.5, true, `u${id}`, id.toString(16).padStart(64, '0'), 'a', new Uint8Array([id]), 100]);
    client.wants.get(2)!.add(id);
  }
  for (let tick = 0; tick < 3; tick++) {
    const f = sim.publish([client])[0]!;
    frames.push(decodeFrame(f, { copyBytes: true }) as TickUpdateFrame);
    decodeTickUpdate(f, state);
    for (let id = 0; id < 30; id += 1 + tick) sim.upsert(2, [id, id * 1.5 + tick, tick % 2 === 0, `u${id}`, id.toString(16).padStart(64, '0'), 'b', new Uint8Array([id]), 100 - tick]);
    if (tick === 1) client.wants.get(2)!.delete(3);
  }
  return { state, frames };
}

const built = populated();
/** A client state as `populated()` leaves it, rebuilt cheaply by re-applying the recorded frames. */
function freshState(): ClientState {
  const state = new ClientState([layout]);
  for (const f of built.frames) applyFrame(state, f);
  return state;
}

function snapshot(state: ClientState): [number, Row][] {
  return [...state.table(2)!.pkToHandle].map(([, h]) => [h, state.table(2)!.rowByHandle(h)!]);
}

/** Applies `tables`; on a ProtocolError checks the state is untouched (plain checks: expect() per
 * case would dominate the run time) and returns the code. */
function applyOutcome(state: ClientState, tables: TableUpdateData[]): string {
  const before = snapshot(state);
  try {
    applyTableUpdates(state, tables, false);
    return 'ok';
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    // Rows are immutable objects, so "unchanged" means the very same objects under the same keys.
    const after = snapshot(state);
    if (after.length !== before.length || !after.every(([h, row], i) => h === before[i]![0] && row === before[i]![1])) {
      expect.fail(`state changed by a rejected update (${e.code}: ${e.message})`);
    }
    if (state.table(2)!.anyMarked()) expect.fail('scratch marks left set');
    return e.code;
  }
}

describe('applying hostile row data', () => {
  const section = fc.uint8Array({ maxLength: 64 });

  it('random sections give ProtocolErrors and leave the state untouched', () => {
    let state = freshState(); // a failed apply leaves it as it was, so it is rebuilt only after an 'ok'
    fc.assert(fc.property(section, section, section, (deletes, inserts, updates) => {
      if (applyOutcome(state, [{ tableId: 2, deletes, inserts, updates }]) === 'ok') state = freshState();
    }), { numRuns: 1500 });
  });

  it('real sections with bytes overwritten or cut short do too', () => {
    let state = freshState();
    const real = built.frames.flatMap((f) => f.tables);
    fc.assert(fc.property(fc.nat(real.length - 1), fc.constantFrom('deletes', 'inserts', 'updates') as fc.Arbitrary<'deletes' | 'inserts' | 'updates'>,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (i, which, edits, cut) => {
        const t = real[i]!;
        const bytes = t[which].slice();
        if (bytes.length === 0) return;
        for (const [at, v] of edits) bytes[at % bytes.length] = v;
        const edited = { ...t, [which]: edits.length === 0 ? bytes.subarray(0, cut % bytes.length) : bytes };
        if (applyOutcome(state, [edited]) === 'ok') state = freshState();
      }), { numRuns: 3000 });
  });

  it('names the problem: unknown table, unknown handle, double delete, insert over a held row', () => {
    const state = freshState();
    const empty = new Uint8Array(0);
    expect(applyOutcome(state, [{ tableId: 9, deletes: empty, inserts: empty, updates: empty }])).toBe('UNKNOWN_TABLE');
    expect(applyOutcome(state, [{ tableId: 2, deletes: new Uint8Array([100]), inserts: empty, updates: empty }])).toBe('BAD_HANDLE');
    expect(applyOutcome(state, [{ tableId: 2, deletes: new Uint8Array([5, 5]), inserts: empty, updates: empty }])).toBe('BAD_HANDLE');
    // An insert over a live handle (0 holds a row) without deleting it first.
    expect(applyOutcome(state, [{ tableId: 2, deletes: empty, inserts: new Uint8Array([0, 99]), updates: empty }])).toBe('BAD_HANDLE');
    // The same handle deleted by two blocks of the table.
    expect(applyOutcome(state, [
      { tableId: 2, deletes: new Uint8Array([1]), inserts: empty, updates: empty },
      { tableId: 2, deletes: new Uint8Array([1]), inserts: empty, updates: empty },
    ])).toBe('BAD_HANDLE');
  });
});
