// Colyseus baseline server: one room with the moving-entities scene, /health and /metrics on the
// same port. Started by the harness (`--target colyseus`) or by hand:
//   node --import tsx loadtest/baselines/colyseus/server.ts --port 2567 --entities 100000

import { parseArgs } from 'node:util';
import { defineServer, defineRoom, matchMaker, createRouter, createEndpoint } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { SceneRoom } from './scene-room.ts';
import { TickTimings } from './tick-timings.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2567' },
    entities: { type: 'string', default: '100000' },
    'map-size': { type: 'string', default: '2000' },
    visible: { type: 'string', default: '100' },
    'view-refresh-ticks': { type: 'string', default: '10' },
    speed: { type: 'string', default: '2' },
  },
});

const timings = new TickTimings();
let room: SceneRoom | undefined;

const server = defineServer({
  rooms: {
    scene: defineRoom(SceneRoom),
  },
  routes: createRouter({
    health: createEndpoint('/health', { method: 'GET' }, async () => new Response(room ? 'ok' : 'starting', { status: room ? 200 : 503 })),
    metrics: createEndpoint('/metrics', { method: 'GET' }, async () =>
      new Response(timings.prometheus({ colyseus_connections: room?.clients.length ?? 0 }), {
        headers: { 'content-type': 'text/plain; version=0.0.4' },
      }),
    ),
  }),
  transport: new WebSocketTransport({ maxPayload: 64 * 1024 }),
  greet: false,
});

await server.listen(Number(values.port), '127.0.0.1');
const listing = await matchMaker.createRoom('scene', {
  entities: Number(values.entities),
  mapSize: Number(values['map-size']),
  visible: Number(values.visible),
  viewRefreshTicks: Number(values['view-refresh-ticks']),
  speed: Number(values.speed),
  timings,
});
room = matchMaker.getLocalRoomById(listing.roomId) as SceneRoom;
process.stdout.write(`colyseus baseline listening on ${values.port}, room ${listing.roomId}, ${values.entities} entities\n`);

const stop = (): void => {
  void server.gracefullyShutdown(true);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
