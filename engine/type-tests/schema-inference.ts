// Type-level tests: compiled by `tsc -p engine/type-tests` (run from schema-types.test.ts). Every
// line marked as an expected error must fail to compile; if a change makes it compile, tsc reports
// the unused directive and the test fails.
import { t, table, schema, createWorld, reject, type RowOf, type InsertOf } from '../src/index.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

const player = table('player', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().unique(),
  name: t.string(),
  x: t.f32(), y: t.f32(),
  cls: t.enum(['warrior', 'mage'] as const).default('warrior'),
  team: t.u8().index('hash'),
}, { spatial: { x: 'x', y: 'y' } });

expectType<Equal<RowOf<typeof player.columns>, { id: number; owner: string; name: string; x: number; y: number; cls: 'warrior' | 'mage'; team: number }>>(true);
expectType<Equal<InsertOf<typeof player.columns>, { owner: string; name: string; x: number; y: number; team: number; id?: number; cls?: 'warrior' | 'mage' }>>(true);

// @ts-expect-error: spatial columns must be numeric columns of the table
table('bad', { id: t.u32().primaryKey(), label: t.string() }, { spatial: { x: 'label', y: 'label' } });
// @ts-expect-error: unknown column in spatial
table('bad2', { id: t.u32().primaryKey(), x: t.f32() }, { spatial: { x: 'x', y: 'nope' } });

const s = schema({ player });

export const move = s.reducer({ dx: t.f32(), dy: t.f32() }, (ctx, { dx, dy }) => {
  const me = ctx.db.player.findBy('owner', ctx.sender);
  if (!me) return;
  ctx.db.player.update(me.id, { x: me.x + dx, y: me.y + dy });
  // @ts-expect-error: wrong column name
  ctx.db.player.update(me.id, { z: 1 });
  // @ts-expect-error: wrong value type for a column
  ctx.db.player.update(me.id, { x: 'far' });
  // @ts-expect-error: the primary key cannot be updated
  ctx.db.player.set(me.id, 'id', 3);
  // @ts-expect-error: findBy needs a unique column
  ctx.db.player.findBy('name', 'bob');
  // @ts-expect-error: where needs an indexed column
  ctx.db.player.where('x', 3);
  ctx.db.player.where('team', 3);
  // @ts-expect-error: enum values are checked
  ctx.db.player.insert({ owner: ctx.sender, name: 'n', x: 0, y: 0, team: 1, cls: 'rogue' });
  // @ts-expect-error: a required column is missing
  ctx.db.player.insert({ owner: ctx.sender, x: 0, y: 0, team: 1 });
  // @ts-expect-error: no such table
  ctx.db.monster.find(1);
  const n: number = dx;
  // @ts-expect-error: arguments are typed
  const bad: string = dy;
  void n; void bad;
});

export const rename = s.reducer({ name: t.string(), loud: t.bool().optional() }, (_ctx, args) => {
  expectType<Equal<typeof args, { name: string; loud?: boolean | undefined }>>(true);
});

// A reducer may refuse by returning reject(); returning anything else is a mistake tsc reports.
export const refuse = s.reducer({ n: t.u32() }, (_ctx, { n }) => {
  if (n > 3) return reject(`too many: ${n}`);
});
// @ts-expect-error: a reducer returns nothing or a Rejection
export const returnsNumber = s.reducer({ n: t.u32() }, (_ctx, { n }) => n + 1);

const mod = s.module({ reducers: { move, rename, refuse } });
const world = createWorld(mod);
world.tables.player.find(1);
// @ts-expect-error: the world's tables are typed too
world.tables.nope.find(1);
