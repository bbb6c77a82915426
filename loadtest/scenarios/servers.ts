// How the harness starts each target's server when no --url is given. Shared by the scenarios;
// a studio's own scenario points `command` at its own server entry instead.

import type { Params, ServerSpec } from '../src/scenario/index.ts';

/** The Worldline load-test world (loadtest/world/): entities, players, items, chat, accounts. */
export const worldlineServer: ServerSpec = {
  command: [
    'node', '--import', 'tsx', 'loadtest/world/serve.ts',
    '--port', '{port}', '--entities', '{entities}', '--map-size', '{mapSize}', '--accounts', '{accounts}', '--cells', '{cells}',
  ],
  healthPath: '/health',
  readyTimeoutMs: 120_000,
  wsPath: '/ws',
};

/** The Colyseus 0.18 baseline (loadtest/baselines/colyseus/): the same moving-entities scene. */
export const colyseusServer: ServerSpec = {
  command: [
    'node', '--import', 'tsx', 'loadtest/baselines/colyseus/server.ts',
    '--port', '{port}', '--entities', '{entities}', '--map-size', '{mapSize}', '--visible', '{visible}',
  ],
  healthPath: '/health',
  readyTimeoutMs: 120_000,
};

/** Defaults every scenario starts from: the world of 100,000 entities on a 2,000 map. */
/** `cells`: > 0 makes the entity table's areas work by cells of that size (server option cellInterest). */
export const worldParams = { entities: 100_000, mapSize: 2000, visible: 100, accounts: 10_000, cells: 0 } as const;

/** Side of the square area that holds `visible` entities on average at the world's density. */
export function areaSide(p: Params): number {
  const density = Number(p.entities) / (Number(p.mapSize) * Number(p.mapSize));
  return Math.sqrt(Number(p.visible) / density);
}
