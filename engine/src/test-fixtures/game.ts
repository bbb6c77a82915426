// A small game module shared by the engine's unit tests: players with unique owners, items with a
// hash index on their holder, a btree-indexed score, a spatial index, and reducers that fail midway.
import { t, table, schema, fail } from '../index.ts';

export const player = table('player', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().unique(),
  name: t.string(),
  x: t.f32(), y: t.f32(),
  score: t.i32().index('btree'),
  alive: t.bool().default(true),
  class: t.enum(['warrior', 'mage'] as const).default('warrior'),
}, { spatial: { x: 'x', y: 'y' }, visibility: { owner: 'owner' } });

export const item = table('item', {
  id: t.u32().primaryKey().autoInc(),
  holder: t.u32().index('hash'),
  kind: t.string(),
});

export const log = table('log', {
  id: t.u32().primaryKey().autoInc(),
  text: t.string(),
  at: t.f64(),
}, { visibility: 'private' });

const s = schema({ player, item, log });

export const join = s.reducer({ name: t.string() }, (ctx, { name }) => {
  if (ctx.db.player.findBy('owner', ctx.sender)) fail('already joined');
  ctx.db.player.insert({ owner: ctx.sender, name, x: 0, y: 0, score: 0 });
});

export const move = s.reducer({ dx: t.f32(), dy: t.f32() }, (ctx, { dx, dy }) => {
  const me = ctx.db.player.findBy('owner', ctx.sender) ?? fail('not joined');
  ctx.db.player.update(me.id, { x: me.x + dx, y: me.y + dy });
});

export const giveItem = s.reducer({ to: t.u32(), kind: t.string() }, (ctx, { to, kind }) => {
  if (!ctx.db.player.has(to)) fail(`no player ${to}`);
  ctx.db.item.insert({ holder: to, kind });
});

/** Swaps one item of each player, or neither: the second lookup fails if b has no item. */
export const trade = s.reducer({ a: t.u32(), b: t.u32() }, (ctx, { a, b }) => {
  const ia = ctx.db.item.where('holder', a)[0] ?? fail(`player ${a} has no item`);
  ctx.db.item.update(ia.id, { holder: b });
  const ib = ctx.db.item.where('holder', b).find((i) => i.id !== ia.id) ?? fail(`player ${b} has no item`);
  ctx.db.item.update(ib.id, { holder: a });
});

/** Writes three rows, then throws. */
export const writeThreeThenThrow = s.reducer({}, (ctx) => {
  ctx.db.log.insert({ text: 'one', at: ctx.now });
  ctx.db.log.insert({ text: 'two', at: ctx.now });
  ctx.db.log.insert({ text: 'three', at: ctx.now });
  throw new Error('boom');
});

export const note = s.reducer({ text: t.string() }, (ctx, { text }) => {
  ctx.db.log.insert({ text, at: ctx.now });
});

export const remind = s.reducer({ text: t.string(), delayMs: t.f64(), every: t.bool().optional() }, (ctx, { text, delayMs, every }) => {
  if (every) ctx.schedule.every(delayMs, 'note', { text });
  else ctx.schedule.after(delayMs, 'note', { text });
});

export const addScore = s.reducer({ id: t.u32(), points: t.i32() }, (ctx, { id, points }) => {
  ctx.db.player.set(id, 'score', ctx.db.player.get(id, 'score') + points);
});

export const kill = s.reducer({ id: t.u32() }, (ctx, { id }) => {
  ctx.db.player.delete(id) || fail(`no player ${id}`);
});

export const rename = s.reducer({ id: t.u32(), name: t.string() }, (ctx, { id, name }) => {
  ctx.db.player.update(id, { name });
});

export const sloppy = s.reducer({}, (ctx) => {
  ctx.db.log.insert({ text: String(Math.random()), at: Date.now() });
});

export default s.module({
  reducers: { join, move, giveItem, trade, writeThreeThenThrow, note, remind, addScore, kill, rename, sloppy },
  onConnect: (ctx) => { ctx.db.log.insert({ text: `connect ${ctx.sender.slice(0, 4)}`, at: ctx.now }); },
  onDisconnect: (ctx) => { ctx.db.log.insert({ text: `disconnect ${ctx.sender.slice(0, 4)}`, at: ctx.now }); },
  tickRate: 20,
});

export const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => (i + 1).toString(16).padStart(64, '0'));
