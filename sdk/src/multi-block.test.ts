// Protocol 2 through the client: a TickUpdate in which a table comes in several blocks (a server's
// shared per-cell blocks) updates the cache as one frame and fires deletes, inserts, updates once.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  RowPieceEncoder, ClientFrameAssembler, HandleList, ArrayRowReader, decodeFrame,
  type TableUpdateData, type TickUpdateFrame, type ColumnValue,
} from '@worldline/engine/protocol/index.ts';
import { FakeServer, type FakeConnection } from './test-support/fake-server.ts';
import { arenaClient, once, type Arena } from './test-support/helpers.ts';
import arena from './test-support/arena.ts';
import type { Client, ClientError } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;

beforeEach(async () => {
  server = await FakeServer.start(arena);
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

/** One `item` block: inserts (handle, values), updates (handle, old, new), deletes (handles). */
function itemBlock(ins: [number, ColumnValue[]][], upd: [number, ColumnValue[], ColumnValue[]][], del: number[]): TableUpdateData {
  const id = server.tableId('item'), L = server.compiled.get(id)!;
  const pieces = new RowPieceEncoder(), asm = new ClientFrameAssembler(pieces);
  const next = new ArrayRowReader(), prev = new ArrayRowReader();
  const i = new HandleList(), u = new HandleList(), d = new HandleList();
  for (const [h, v] of ins) {
    next.values = v;
    i.push(h, pieces.encodeRow(L, next));
  }
  for (const [h, o, v] of upd) {
    next.values = v;
    prev.values = o;
    u.push(h, pieces.encodeUpdate(L, L.fullMask, next, prev));
  }
  for (const h of del) d.push(h);
  asm.beginTick(1, 0);
  asm.addTable(id, i, u, d);
  return (decodeFrame(asm.finish(), { copyBytes: true }) as TickUpdateFrame).tables[0]!;
}

describe('a table in several blocks of one TickUpdate', () => {
  it('moves a row between blocks (delete in one, insert under a new handle in another) and fires each change once', async () => {
    for (const [id, weight] of [[1, 1], [2, 2], [3, 3]]) server.upsert('item', { id, holder: 7, kind: 'sword', weight });
    const conn: Promise<FakeConnection> = server.nextConnection();
    client = arenaClient(server);
    await client.subscribe('item').ready;
    expect(client.db.item.count).toBe(3);
    const held = (await conn).held.get(server.tableId('item'))!;
    const h1 = held.get(1)!.handle, h2 = held.get(2)!.handle, h3 = held.get(3)!.handle;

    const events: string[] = [];
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    client.db.item.onDelete((r) => events.push(`delete ${r.id} w${r.weight}`));
    client.db.item.onInsert((r) => events.push(`insert ${r.id} w${r.weight}`));
    client.db.item.onUpdate((o, r, changed) => events.push(`update ${r.id} w${o.weight}->w${r.weight} ${changed.join()}`));
    const outcome = Promise.race([
      once(client, 'tick').then((t) => `tick ${t.tick}`),
      once(client, 'error').then((e) => `error ${e.code}: ${e.message}`),
    ]);
    server.send(await conn, {
      type: 'tickUpdate', tick: 99, time: 0, reset: false,
      tables: [
        itemBlock([[40_000, [2, 8, 'shield', 20]]], [[h1, [1, 7, 'sword', 1], [1, 7, 'sword', 10]]], []), // the cell item 2 entered
        itemBlock([], [[h3, [3, 7, 'sword', 3], [3, 7, 'sword', 30]]], [h2]), // the cell it left
      ],
    });
    expect(await outcome).toBe('tick 99');
    expect(errors).toEqual([]);
    expect(client.status).toBe('connected');
    expect(events).toEqual(['delete 2 w2', 'insert 2 w20', 'update 1 w1->w10 weight', 'update 3 w3->w30 weight']);
    expect(client.db.item.count).toBe(3);
    expect(client.db.item.find(2)).toEqual({ id: 2, holder: 8, kind: 'shield', weight: 20 });
  });
});
