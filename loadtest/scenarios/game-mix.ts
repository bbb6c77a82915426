// A game-like mix per bot step (every 100 ms): mostly moves, sometimes a trade of an item with
// another player, now and then a chat line. Tune the mix with --param tradeEvery=50 etc.

import { defineScenario } from '../src/scenario/index.ts';
import { areaSide, worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'game-mix',
  description: 'Move every step, trade an item every ~50 steps, chat every ~100 steps, per bot.',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, tradeEvery: 50, chatEvery: 100 },
  stepMs: 100,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
    const side = areaSide(bot.params);
    await bot.setArea({ width: side, height: side });
    await bot.subscribe({ table: 'chat' });
    await bot.subscribe({ table: 'item', where: { owner: 'me' } });
    return { heading: bot.random() * Math.PI * 2 };
  },
  step(bot, s) {
    const r = bot.random();
    if (r < 1 / Number(bot.params.chatEvery)) {
      bot.send('chat', { text: `hello from bot ${bot.index}` });
    } else if (r < 1 / Number(bot.params.chatEvery) + 1 / Number(bot.params.tradeEvery)) {
      // Player ids are assigned in join order, so 1..bots are (nearly all) live players.
      bot.send('trade', { toPlayer: 1 + Math.floor(bot.random() * bot.bots) });
    } else {
      s.heading += (bot.random() - 0.5) * 0.6;
      bot.send('move', { dx: Math.cos(s.heading) * 0.5, dy: Math.sin(s.heading) * 0.5 });
    }
  },
});
