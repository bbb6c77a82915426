// `worldline start <module>`: runs a module as a durable, networked world — recovery from the data
// directory, the tick loop, WebSocket + HTTP on one port — and logs its figures every few seconds.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleDef } from '../module/define.ts';
import { openDurableWorld } from '../durability/index.ts';
import type { DurabilityMode } from '../durability/index.ts';
import { createServer } from '../server/index.ts';
import { parseArgs, intFlag } from './args.ts';

export const START_HELP = `Usage: worldline start <module.ts> [options]

Runs the module's world: recovers it from the data directory, ticks it, and serves WebSocket
clients (path /ws) and HTTP (/health, /metrics, POST /v1/call/:reducer, POST /v1/identity).

Options:
  --port <n>              port to listen on (default 3000; 0 picks a free one)
  --host <addr>           address to listen on (default 127.0.0.1)
  --data <dir>            data directory: replay log, snapshots, token secret (default ./data)
  --durability <mode>     durable (fsync per tick, default) | os (no fsync) | memory (no disk)
  --snapshot-every <n>    ticks between snapshots (default 1200)
  --transport <kind>      uws (default) | ws
  --stats-every <s>       seconds between stats lines (default 5; 0 = none)
  --help                  this text`;

export async function loadModule(file: string): Promise<ModuleDef> {
  const url = pathToFileURL(path.resolve(file)).href;
  const mod = (await import(url)) as { default?: ModuleDef };
  if (!mod.default || mod.default.kind !== 'module') {
    throw new Error(`${file} must export default a module: export default s.module({ reducers: { ... } })`);
  }
  return mod.default;
}

export async function runStart(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    port: 'value', host: 'value', data: 'value', durability: 'value', 'snapshot-every': 'value',
    transport: 'value', 'stats-every': 'value', help: 'flag',
  });
  if (p.flags.has('help') || p.positionals.length !== 1) {
    console.log(START_HELP);
    return p.flags.has('help') ? 0 : 2;
  }
  const module = await loadModule(p.positionals[0]!);
  const dataDir = String(p.flags.get('data') ?? './data');
  const durability = String(p.flags.get('durability') ?? 'durable') as DurabilityMode;
  const transport = String(p.flags.get('transport') ?? 'uws');
  if (transport !== 'uws' && transport !== 'ws') throw new Error(`--transport must be uws or ws, got '${transport}'`);
  const dw = await openDurableWorld(module, { dataDir, durability, snapshotEvery: intFlag(p, 'snapshot-every', 1200) });
  const server = createServer(module, { world: dw.world, dataDir, transport });
  // A restore replaces the whole state outside the tick's change set: every client resyncs.
  dw.onRestore(() => server.subscriptions.resyncAll());
  const port = await server.listen(intFlag(p, 'port', 3000), String(p.flags.get('host') ?? '127.0.0.1'));
  console.log(`[worldline] ${path.basename(p.positionals[0]!)} at tick ${dw.world.tick} (${durability}, data in ${dataDir}); ` +
    `ws://127.0.0.1:${port}/ws, http://127.0.0.1:${port}/health`);
  const every = intFlag(p, 'stats-every', 5);
  const timer = every > 0 ? setInterval(() => {
    const s = dw.world.timingStats();
    console.log(`[worldline] tick ${dw.world.tick}, ${server.sessionCount} clients, hash ${dw.world.hash()}, ` +
      `tick p50 ${s.total.p50.toFixed(2)} ms p99 ${s.total.p99.toFixed(2)} ms, durability p99 ${s.durability.p99.toFixed(2)} ms`);
  }, every * 1000) : null;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (timer) clearInterval(timer);
  await server.close();
  await dw.close();
  console.log(`[worldline] stopped at tick ${dw.world.tick}`);
  return 0;
}
