// The load-test world's tick cost without any network: N entities moving every tick and P players
// each calling move every other tick, stepped in-process. Prints per-phase p50/p99 and ends with
// one JSON line. Separates engine cost from transport and subscription cost (the two setup ticks,
// init and the joins, are in the timing window too; they show in p99/max, not p50):
//   node --import tsx loadtest/world/tick-cost.ts --entities 100000 --players 5000 --ticks 100

import { parseArgs } from 'node:util';
import { createWorld, silentLogger } from '@worldline/engine';
import { loadtestWorld } from './module.ts';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '100000' },
    players: { type: 'string', default: '5000' },
    ticks: { type: 'string', default: '100' },
  },
});
const entities = Number(values.entities);
const players = Number(values.players);
const ticks = Number(values.ticks);

const world = createWorld(loadtestWorld({ entities, mapSize: 2000, accounts: 0 }), { seed: 1, logger: silentLogger });
world.step(); // onInit populates the entities
const ids = Array.from({ length: players }, (_, i) => (i + 1).toString(16).padStart(64, '0'));
for (const id of ids) world.call('join', { name: 'bot' }, { sender: id });
world.step();
const t0 = performance.now();
for (let k = 0; k < ticks; k++) {
  for (let i = k % 2; i < players; i += 2) world.call('move', { dx: 0.5, dy: -0.5 }, { sender: ids[i]! });
  world.step();
}
const wallMs = (performance.now() - t0) / ticks;
const s = world.timingStats();
for (const [phase, v] of Object.entries(s)) {
  process.stdout.write(`${phase.padEnd(10)} p50 ${v.p50.toFixed(2).padStart(8)} ms   p99 ${v.p99.toFixed(2).padStart(8)} ms\n`);
}
const r = (v: number): number => Number(v.toFixed(3));
process.stdout.write(
  `${JSON.stringify({
    bench: 'world-tick-cost', entities, players, ticks, wallMsPerTick: r(wallMs),
    systemsP50Ms: r(s.systems.p50), systemsP99Ms: r(s.systems.p99), callsP50Ms: r(s.calls.p50),
    commitP50Ms: r(s.commit.p50), totalP50Ms: r(s.total.p50), totalP99Ms: r(s.total.p99),
  })}\n`,
);
