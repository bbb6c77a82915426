// A share of the bots stop reading their socket for a few seconds at a time while the world keeps
// moving: the server must cap their buffers (backpressure) and resync them when they drain, with
// its memory (RSS in the report) staying flat.

import { defineScenario } from '../src/scenario/index.ts';
import { areaSide, worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'slow-readers',
  description: '`slowShare` of the bots (default 20%) pause reading for 3 s out of every 6 s.',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, slowShare: 0.2, pauseMs: 3000 },
  stepMs: 3000,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
    const side = areaSide(bot.params);
    await bot.setArea({ width: side, height: side });
    return { slow: bot.random() < Number(bot.params.slowShare), reading: true };
  },
  step(bot, s) {
    if (s.slow) {
      s.reading = !s.reading;
      bot.setReading(s.reading);
    }
    if (s.reading) bot.send('move', { dx: bot.random() - 0.5, dy: bot.random() - 0.5 });
  },
});
