// The comparison scene: each client sees ~100 entities moving at 20 Hz and walks its avatar once
// a second. Runs on Worldline and on the Colyseus baseline, so
//   npm run loadtest -- --scenario scene --bots 500 --duration 30 --compare worldline colyseus
// prints bytes per client per tick and server CPU per client side by side.

import { defineScenario } from '../src/scenario/index.ts';
import { areaSide, colyseusServer, worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'scene',
  description: 'Moving-entities scene: every client sees ~100 entities moving at 20 Hz; avatars walk once a second.',
  targets: ['worldline', 'colyseus'],
  servers: { worldline: worldlineServer, colyseus: colyseusServer },
  params: { ...worldParams },
  stepMs: 1000,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
    const side = areaSide(bot.params);
    await bot.setArea({ width: side, height: side });
  },
  step(bot) {
    bot.send('move', { dx: (bot.random() - 0.5) * 4, dy: (bot.random() - 0.5) * 4 });
  },
});
