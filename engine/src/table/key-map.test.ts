// KeyMap: unique key -> slot for primary keys and unique columns. Small non-negative integer keys live
// in a dense array, every other key (negative, fractional, huge) in a Map; a lookup must find each
// key where it was put and answer -1 for keys never set, on both sides of the dense array's end.
import { it, expect } from 'vitest';
import { KeyMap } from './key-map.ts';
import { t, table, schema, createWorld, silentLogger } from '../index.ts';

it('finds dense and sparse keys, answers -1 for absent ones and forgets deleted ones', () => {
  const m = new KeyMap();
  const keys = [0, 1, 1023, 1024, 5000, 8191, 1 << 24, 2 ** 40, -1, -(2 ** 31), 0.5, -0.25, 1e300];
  keys.forEach((k, i) => m.set(k, i));
  keys.forEach((k, i) => expect(m.get(k), String(k)).toBe(i));
  for (const k of [2, 1022, 1025, 4999, 5001, 8192, 1 << 23, (1 << 24) + 1, -3, 0.75, 2 ** 41]) expect(m.get(k), String(k)).toBe(-1);
  m.delete(1024); m.delete(-1); m.delete(0.5);
  expect([m.get(1024), m.get(-1), m.get(0.5), m.get(1023), m.get(-(2 ** 31))]).toEqual([-1, -1, -1, 2, 9]);
});

it('tables keyed by negative integers and by strings find their rows', () => {
  const signed = table('signed', { id: t.i32().primaryKey(), v: t.u8() });
  const named = table('named', { name: t.string().primaryKey(), v: t.u8() });
  const s = schema({ signed, named });
  const fill = s.reducer({}, (ctx) => {
    for (const id of [-5, 0, 7, -(2 ** 31), 2 ** 31 - 1]) ctx.db.signed.insert({ id, v: 1 });
    for (const name of ['a', 'bb', '']) ctx.db.named.insert({ name, v: 2 });
  });
  const w = createWorld(s.module({ reducers: { fill } }), { clock: () => 0, logger: silentLogger });
  w.enqueue('fill', {}, '0'.repeat(64), 0);
  w.step();
  for (const id of [-5, 0, 7, -(2 ** 31), 2 ** 31 - 1]) expect(w.tables.signed.find(id)?.id).toBe(id);
  for (const id of [-4, 1, 8, 0.5]) expect(w.tables.signed.find(id)).toBeUndefined();
  for (const name of ['a', 'bb', '']) expect(w.tables.named.find(name)?.name).toBe(name);
  expect(w.tables.named.find('c')).toBeUndefined();
});
