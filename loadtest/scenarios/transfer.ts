// The transfer workload: bank transfers between random accounts, `pipeline` calls in flight per
// bot, each replaced as soon as its durable result comes back. Reports TPS (calls/s) and the
// round trip of durable results.
//   npm run loadtest -- --scenario transfer --bots 64 --duration 30

import { defineScenario, type Bot } from '../src/scenario/index.ts';
import { worldParams, worldlineServer } from './servers.ts';

async function transferLoop(bot: Bot): Promise<void> {
  const accounts = Number(bot.params.accounts);
  while (bot.active) {
    const from = Math.floor(bot.random() * accounts);
    const to = Math.floor(bot.random() * accounts);
    await bot.call('transfer', { from, to, amount: 1 + Math.floor(bot.random() * 10) });
  }
}

export default defineScenario({
  name: 'transfer',
  description: 'Each bot keeps `pipeline` (default 256) transfer calls in flight between random accounts.',
  servers: { worldline: worldlineServer },
  // Results come back once per tick, so TPS ≈ calls in flight × tick rate: 64 bots × 256 in flight
  // at 20 Hz allow ~330,000 TPS. Two bot processes: encoding that many calls is real work.
  params: { ...worldParams, entities: 0, pipeline: 256 },
  workers: 2,
  stepMs: 60_000,
  maxInFlight: 1024,
  setup(bot) {
    for (let k = 0; k < Number(bot.params.pipeline); k++) void transferLoop(bot);
  },
  step() {
    // All the work happens in the loops started by setup.
  },
});
