// setAt() writes by slot, the hot path's write: a slot that is not a row (slot() gives -1 for a
// missing key, and a stale slot may be past the last row) must fail the call and change nothing —
// before, it logged a write to a dead cell and moved the world hash away from the state.
import { it, expect } from 'vitest';
import { t, table, schema, createWorld, silentLogger, type CallResult } from '../index.ts';

const account = table('account', { id: t.u32().primaryKey().autoInc(), balance: t.u32() });
const s = schema({ account });
const seed = s.reducer({ n: t.u32() }, (ctx, { n }) => { for (let i = 0; i < n; i++) ctx.db.account.insert({ balance: 10 }); });
const poke = s.reducer({ slot: t.f64() }, (ctx, { slot }) => {
  ctx.db.account.setAt(0, 'balance', 99); // a good write first: it must be rolled back too
  ctx.db.account.setAt(slot, 'balance', 5);
});
const mod = s.module({ reducers: { seed, poke } });

it('refuses a slot that is not a row, rolls the call back and keeps the hash true to the state', () => {
  const errors: string[] = [];
  const w = createWorld(mod, { clock: () => 0, logger: { ...silentLogger, error: (m: string, e?: unknown) => errors.push(`${m} ${String(e)}`) } });
  const call = (reducer: string, args: unknown): CallResult => {
    let out: CallResult | undefined;
    w.enqueue(reducer, args, '0'.repeat(64), 0, (r) => { out = r; });
    w.step();
    return out!;
  };
  call('seed', { n: 3 });
  const before = w.hash();
  for (const slot of [-1, 3, 1000, 1.5]) {
    const r = call('poke', { slot });
    expect(r.ok, String(slot)).toBe(false);
    if (!r.ok) expect(r.code).toBe('INTERNAL');
  }
  expect(errors).toHaveLength(4);
  expect(errors[0]).toMatch(/account\.setAt: slot -1 is not a row \(the table has 3 rows/);
  expect(w.hash()).toBe(before);
  expect([...w.tables.account.iter()].map((a) => a.balance)).toEqual([10, 10, 10]);
  // The same call with a real slot goes through.
  expect(call('poke', { slot: 2 }).ok).toBe(true);
  expect([...w.tables.account.iter()].map((a) => a.balance)).toEqual([99, 10, 5]);
});
