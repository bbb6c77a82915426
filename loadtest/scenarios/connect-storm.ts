// Connection churn: each bot reconnects (with its token) every `churnMs`, joining again each
// time. Measures connect time and success rate under a steady stream of handshakes.

import { defineScenario } from '../src/scenario/index.ts';
import { worldParams, worldlineServer } from './servers.ts';

export default defineScenario({
  name: 'connect-storm',
  description: 'Every bot disconnects and reconnects every ~2 s (token reuse), then joins again.',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, entities: 10_000 },
  connectRate: 2000,
  stepMs: 2000,
  async setup(bot) {
    await bot.call('join', { name: `bot${bot.index}` });
  },
  async step(bot) {
    if (await bot.reconnect()) await bot.call('join', { name: `bot${bot.index}` });
  },
});
