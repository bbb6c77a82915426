// The crash test's server process: recovers its world from a data directory, then runs it under a
// steady stream of transfer calls and prints `ack <id>` for each call it has confirmed (after fsync).
// Usage: node --import tsx crash-child.ts <dataDir> <run index> [calls per ms batch]
import { silentLogger } from '@worldline/engine';
import { openDurableWorld } from '@worldline/engine/durability/index.ts';
import bank, { ACCOUNTS } from './bank-module.ts';

const [dataDir, runArg, batchArg] = process.argv.slice(2);
if (!dataDir || runArg === undefined) {
  console.error('usage: crash-child.ts <dataDir> <run index> [calls per batch]');
  process.exit(2);
}
const run = Number(runArg);
const batch = Number(batchArg ?? 4);

const dw = await openDurableWorld(bank, { dataDir, durability: 'durable', snapshotEvery: 25, keepSnapshots: 3, segmentBytes: 32 * 1024, logger: silentLogger });
process.stdout.write(`ready ${JSON.stringify({ tick: dw.world.tick, recovery: dw.recovery })}\n`);

let n = 0;
let seed = run * 7919 + 1;
const rnd = (k: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % k;
};
const sender = 'c'.repeat(64);
setInterval(() => {
  for (let i = 0; i < batch; i++) {
    const id = run * 1_000_000 + ++n;
    const from = 1 + rnd(ACCOUNTS);
    const to = 1 + rnd(ACCOUNTS);
    dw.world.enqueue('transfer', { id, from, to, amount: 1 + rnd(50) }, sender, 1, (r) => {
      if (r.ok) process.stdout.write(`ack ${id}\n`);
    });
  }
}, 2);
dw.world.start();
