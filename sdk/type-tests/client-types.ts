// Type-level tests of the client SDK: compiled by `tsc -p sdk/type-tests` (from src/types.test.ts).
// Each @ts-expect-error line must fail to compile; if a change lets it compile, tsc reports the
// unused directive and the test fails. The module's type is imported with `import type` only.
import WebSocket from 'ws';
import type Phaser from 'phaser';
import type { Mesh, Scene } from 'three';
import { connect, me, type Row, type Pk, type ReducerArgs, type TableCache } from '../src/index.ts';
import { syncSprites, syncObjects } from '../src/adapters/index.ts';
import type game from '../../engine/src/test-fixtures/game.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

const client = connect<typeof game>({ url: 'ws://127.0.0.1:1/ws', WebSocket, reconnect: { minMs: 100, maxMs: 1000 } });

// Rows and keys are inferred from the module.
expectType<Equal<Row<typeof game, 'item'>, Readonly<{ id: number; holder: number; kind: string }>>>(true);
expectType<Equal<Pk<typeof game, 'player'>, number>>(true);
expectType<Equal<ReducerArgs<typeof game, 'remind'>, { text: string; delayMs: number; every?: boolean | undefined }>>(true);
const p = client.db.player.find(1);
if (p) {
  const cls: 'warrior' | 'mage' = p.class;
  const n: number = p.x;
  // @ts-expect-error: rows are read-only snapshots
  p.x = 3;
  // @ts-expect-error: no such column
  p.z;
}
// @ts-expect-error: wrong primary key type
client.db.player.find('1');
// @ts-expect-error: no such table
client.db.monster.count;
client.db.item.onUpdate((old, row, changed) => {
  const h: number = row.holder - old.holder;
  const c: readonly ('id' | 'holder' | 'kind')[] = changed;
});

// Reducer calls are typed by name and arguments.
const done: Promise<void> = client.reducers.move({ dx: 1, dy: -1 });
client.reducers.remind({ text: 'hi', delayMs: 10 });
client.reducers.writeThreeThenThrow();
client.call('giveItem', { to: 1, kind: 'sword' });
// @ts-expect-error: no such reducer
client.reducers.fly({ dx: 1 });
// @ts-expect-error: no such reducer (by name)
client.call('fly');
// @ts-expect-error: wrong argument type
client.reducers.move({ dx: '1', dy: 0 });
// @ts-expect-error: missing argument
client.reducers.move({ dx: 1 });
// @ts-expect-error: unknown argument
client.reducers.move({ dx: 1, dy: 1, dz: 1 });
// @ts-expect-error: arguments are required when the reducer declares some
client.reducers.join();
// @ts-expect-error: wrong argument type by name
client.call('kill', { id: 'x' });

// Subscriptions: table names and indexed columns are checked.
client.subscribe('item', { holder: 3 });
client.subscribe('player', { score: { gte: 10, lte: 20 } });
client.subscribe('player', { owner: me });
client.subscribe('player');
// @ts-expect-error: no such table
client.subscribe('monster');
// @ts-expect-error: 'kind' is not indexed, so the server cannot filter on it
client.subscribe('item', { kind: 'sword' });
// @ts-expect-error: wrong filter value type
client.subscribe('item', { holder: 'three' });
// @ts-expect-error: `me` only applies to string (identity) columns
client.subscribe('item', { holder: me });

// Areas.
client.setArea({ table: 'player', radius: 50, follow: 1 });
client.setArea({ table: 'player', rect: { halfWidth: 10, halfHeight: 5 }, x: 0, y: 0, margin: 2 });
client.setArea({ table: 'player', radius: 50, follow: { table: 'item', pk: 3 } });
// @ts-expect-error: no such table
client.setArea({ table: 'monster', radius: 5 });
// @ts-expect-error: a radius or a rect is needed
client.setArea({ table: 'player' });
// @ts-expect-error: the followed key has the table's primary key type
client.setArea({ table: 'player', radius: 5, follow: 'me' });

client.on('reconnect', ({ identity }) => { const s: string = identity; });
// @ts-expect-error: no such event
client.on('teleport', () => undefined);

// The adapters accept the real engines' objects.
declare const scene: Phaser.Scene;
declare const three: Scene;
syncSprites(scene, client.db.player, { create: (row) => scene.add.sprite(row.x, row.y, 'hero') });
declare const mesh: Mesh;
syncObjects(three, client.db.player, { create: () => mesh.clone() });
const table: TableCache<Row<typeof game, 'player'>, number> = client.db.player;

// Private tables are not part of the client's view at all.
// @ts-expect-error: 'log' is private: the server never sends it
client.db.log;
// @ts-expect-error: nor can a client subscribe to it
client.subscribe('log');
