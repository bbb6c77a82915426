// Tables wider than 16 columns: change masks use bits past the first 16, and the same change
// tracking, rollback and hashing must hold for them.
import { it, expect } from 'vitest';
import { t, table, schema, createWorld, silentLogger, fail } from '../index.ts';

const cols = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, t.u8().default(0)])) as Record<`c${number}`, ReturnType<typeof t.u8>>;
const wide = table('wide', { id: t.u32().primaryKey().autoInc(), ...cols });
const s = schema({ wide });
const put = s.reducer({ col: t.u8(), v: t.u8(), thenFail: t.bool() }, (ctx, { col, v, thenFail }) => {
  const w = ctx.db.wide;
  w.insert({});
  w.update(1, { [`c${col}`]: v });
  if (w.count > 3) w.delete(w.pkAt(1));
  if (thenFail) fail('rolled back');
});
const mod = s.module({ reducers: { put } });

it('a 21-column table tracks changes in its high columns, rolls back, and hashes like a recompute', () => {
  const w = createWorld(mod, { clock: () => 0, logger: silentLogger });
  const store = w.db.byName.get('wide')!;
  for (let i = 0; i < 4; i++) { w.enqueue('put', { col: 19, v: i + 1, thenFail: false }, '0'.repeat(64), 0); w.step(); }
  w.enqueue('put', { col: 19, v: 200, thenFail: false }, '0'.repeat(64), 0);
  const r = w.step();
  const ch = r.changes.byName.get('wide')!;
  expect(ch.inserted.length).toBe(1);
  expect(ch.deleted.length).toBe(1);
  expect(ch.updated.length).toBe(1);
  expect(ch.updatedMask[0]).toBe(1 << store.colIndex['c19']!);
  expect((w.tables.wide.find(1) as Record<string, unknown> | undefined)?.c19).toBe(200);
  const before = w.hash();
  w.enqueue('put', { col: 18, v: 9, thenFail: true }, '0'.repeat(64), 0);
  expect(w.step().changes.byName.get('wide')!.empty).toBe(true);
  expect(w.hash()).toBe(before);
  // The hash kept tick by tick equals one computed from scratch.
  const fresh = w.db.tables.reduce(([l, h], x) => { const [a, b] = x.hash.all(); return [(l + a) | 0, (h + b) | 0]; }, [0, 0]);
  expect(fresh).toEqual([w.db.hashLo, w.db.hashHi]);
});
