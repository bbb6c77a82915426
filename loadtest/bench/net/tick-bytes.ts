// Bytes per client per tick, measured on a real socket: a server whose only client sees 100
// entities, each moving up to 0.5 units per axis per tick (positions quantized to 0.01), the scene
// Colyseus's schema encoder needs 668 bytes per tick for. The test steps the ticks itself and counts
// what arrives: TickUpdate payloads, and all bytes the client's TCP socket read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { t, table, schema, silentLogger } from '@worldline/engine';
import { createServer } from '@worldline/engine/server';
import { encodeFrame, decodeFrame, ClientState, applyFrame } from '@worldline/engine/protocol/index.ts';

export interface TickBytesResult {
  entities: number;
  ticks: number;
  /** TickUpdate message payloads. */
  payloadMean: number;
  payloadP50: number;
  payloadMax: number;
  /** Everything the client's socket read during the measured ticks (WebSocket headers included). */
  socketMean: number;
}

function moversModule(entities: number) {
  const entity = table('entity', {
    id: t.u32().primaryKey().autoInc(),
    x: t.f32().quantize(0.01),
    y: t.f32().quantize(0.01),
  }, { spatial: { x: 'x', y: 'y' }, visibility: 'public' });
  const s = schema({ entity });
  const walk = s.system((ctx) => {
    const e = ctx.db.entity;
    const xs = e.column('x'), ys = e.column('y');
    for (let slot = 0; slot < e.count; slot++) {
      e.setAt(slot, 'x', xs[slot]! + (ctx.random() - 0.5));
      e.setAt(slot, 'y', ys[slot]! + (ctx.random() - 0.5));
    }
  });
  return s.module({
    reducers: {},
    onInit: (ctx) => { for (let i = 0; i < entities; i++) ctx.db.entity.insert({ x: 100 + ctx.random() * 50, y: 100 + ctx.random() * 50 }); },
    systems: [walk],
  });
}

/** `cells` > 0: the client sees the entities through an area on a cell-interest table (cells of
 * that size) instead of a whole-table subscription, so the figure includes the per-cell blocks. */
export async function measureTickBytes(transport: 'uws' | 'ws', entities = 100, ticks = 400, cells = 0): Promise<TickBytesResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wl-bench-bytes-'));
  const cellInterest = cells > 0 ? { entity: { cellSize: cells, bounds: { minX: 0, minY: 0, maxX: 400, maxY: 400 } } } : undefined;
  const server = createServer(moversModule(entities), { dataDir, transport, logger: silentLogger, tokenSecret: 'bench-secret-0123456789abcdef', cellInterest });
  const port = await server.listen(0);
  await server.world.stop(); // the benchmark steps ticks itself
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  let state: ClientState | null = null;
  let measureFrom = Infinity;
  const sizes: number[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  let pongs = 0, applied = false;
  ws.on('message', (d: Buffer) => {
    const f = decodeFrame(new Uint8Array(d.buffer, d.byteOffset, d.length));
    if (f.type === 'welcome') {
      state = new ClientState(f.tables);
      const tableId = f.tables.find((x) => x.name === 'entity')!.id;
      if (cells > 0) ws.send(encodeFrame({ type: 'setArea', queryId: 1, tableId, area: { shape: 'circle', x: 125, y: 125, radius: 60 }, follow: null, margin: null }));
      else ws.send(encodeFrame({ type: 'subscribe', queryId: 1, tableId, filters: [] }));
    } else if (f.type === 'tickUpdate') {
      applyFrame(state!, f);
      if (f.tick >= measureFrom) sizes.push(d.length);
    } else if (f.type === 'subscriptionApplied') applied = true;
    else if (f.type === 'pong') pongs++;
    for (const w of waiters.splice(0)) if (w.test()) w.resolve(); else waiters.push(w);
  });
  const until = (test: () => boolean) => new Promise<void>((resolve) => { if (test()) resolve(); else waiters.push({ test, resolve }); });
  const barrier = async () => { const n = pongs; ws.send(encodeFrame({ type: 'ping', id: n + 1, time: 0 })); await until(() => pongs > n); };
  await new Promise<void>((r) => ws.once('open', () => r()));
  ws.send(encodeFrame({ type: 'hello', token: null, moduleVersion: null }));
  await until(() => state !== null);
  await barrier(); // the Subscribe has arrived
  await server.world.stepAsync();
  await until(() => applied);
  for (let i = 0; i < 20; i++) await server.world.stepAsync();
  await barrier();
  const socket = (ws as unknown as { _socket: Socket })._socket;
  const read0 = socket.bytesRead;
  measureFrom = server.world.tick + 1;
  for (let i = 0; i < ticks; i++) await server.world.stepAsync();
  await until(() => sizes.length === ticks);
  const socketBytes = socket.bytesRead - read0;
  if (state!.table('entity')!.size !== entities) throw new Error(`the client holds ${state!.table('entity')!.size} entities, expected ${entities}`);
  ws.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  const sorted = [...sizes].sort((a, b) => a - b);
  return {
    entities, ticks,
    payloadMean: sizes.reduce((a, b) => a + b, 0) / ticks,
    payloadP50: sorted[sorted.length >> 1]!,
    payloadMax: sorted[sorted.length - 1]!,
    socketMean: socketBytes / ticks,
  };
}
