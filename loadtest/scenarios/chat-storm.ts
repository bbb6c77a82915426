// Everyone subscribes to the chat table and everyone talks: fan-out grows with bots², which shows
// how encode-once and per-client send cost behave under broadcast load.

import { defineScenario } from '../src/scenario/index.ts';
import { worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'chat-storm',
  description: 'All bots subscribe to chat and each sends a line every `chatMs` (default 1000 ms).',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, entities: 0, chatMs: 1000 },
  stepMs: 1000,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
    await bot.subscribe({ table: 'chat' });
  },
  step(bot) {
    bot.send('chat', { text: `storm ${bot.index} ${Math.floor(bot.elapsedMs())}` });
  },
});
