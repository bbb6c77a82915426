// Every bot joins, sets an area holding ~100 entities around its avatar and walks at 10 Hz.
// The basic "how many players does one server hold" scenario:
//   npm run loadtest -- --scenario wander --bots 2000 --duration 60

import { defineScenario } from '../src/scenario/index.ts';
import { areaSide, worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'wander',
  description: 'Bots join, set an area of ~100 entities and move their avatar 10 times a second.',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, moveHz: 10 },
  stepMs: 100,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
    const side = areaSide(bot.params);
    await bot.setArea({ width: side, height: side });
    // Each bot keeps a heading and turns a little each step, like a player walking somewhere.
    return { heading: bot.random() * Math.PI * 2 };
  },
  step(bot, s) {
    s.heading += (bot.random() - 0.5) * 0.6;
    bot.send('move', { dx: Math.cos(s.heading) * 0.5, dy: Math.sin(s.heading) * 0.5 });
  },
});
