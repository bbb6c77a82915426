// The module the SDK's tests connect to: a public spatial table with quantized positions, a public
// table with a hash index, an owner-only table and a private one.
import { t, table, schema, fail } from '@worldline/engine';

export const avatar = table('avatar', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().unique(),
  name: t.string(),
  x: t.f32().quantize(0.01),
  y: t.f32().quantize(0.01),
  hp: t.u16().default(100),
  alive: t.bool().default(true),
}, { spatial: { x: 'x', y: 'y' } });

export const item = table('item', {
  id: t.u32().primaryKey().autoInc(),
  holder: t.u32().index('hash'),
  kind: t.enum(['sword', 'shield', 'potion'] as const),
  weight: t.f64().index('btree'),
});

export const wallet = table('wallet', {
  owner: t.identity().primaryKey(),
  gold: t.u32(),
}, { visibility: { owner: 'owner' } });

export const audit = table('audit', {
  id: t.u32().primaryKey().autoInc(),
  text: t.string(),
}, { visibility: 'private' });

const s = schema({ avatar, item, wallet, audit });

export const join = s.reducer({ name: t.string() }, (ctx, { name }) => {
  if (ctx.db.avatar.findBy('owner', ctx.sender)) fail('already joined');
  ctx.db.avatar.insert({ owner: ctx.sender, name, x: 0, y: 0 });
});

export const move = s.reducer({ dx: t.f32(), dy: t.f32() }, (ctx, { dx, dy }) => {
  const me = ctx.db.avatar.findBy('owner', ctx.sender) ?? fail('not joined');
  ctx.db.avatar.update(me.id, { x: me.x + dx, y: me.y + dy });
});

export const give = s.reducer({ to: t.u32(), kind: t.enum(['sword', 'shield', 'potion'] as const), note: t.string().optional() }, (ctx, { to, kind }) => {
  ctx.db.item.insert({ holder: to, kind, weight: 1 });
});

export const ping = s.reducer({}, () => undefined);

export default s.module({ reducers: { join, move, give, ping }, tickRate: 20 });
