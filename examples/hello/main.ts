// `npm start`: runs the example world and logs its stats every few seconds. (Once the network
// server and bitcraft-lite land, this starts those instead.)
import { createWorld } from '@worldline/engine';
import hello from './module.ts';

const world = createWorld(hello);
world.start();
const every = setInterval(() => {
  const s = world.timingStats();
  console.log(`[hello] tick ${world.tick}: ${world.tables.critter.count} critters, hash ${world.hash()}, ` +
    `tick p50 ${s.total.p50.toFixed(2)} ms p99 ${s.total.p99.toFixed(2)} ms`);
}, 2000);
const shutdown = async () => {
  clearInterval(every);
  await world.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
