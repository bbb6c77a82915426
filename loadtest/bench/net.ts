// `npm run bench:net`: the networked server's figures, load generator included on this machine.
//  1. transfer(): 64 WebSocket connections pipelining CallBatch frames (generator in a child process),
//     against a server whose world is durable (replay log fsync'd per tick before results go out):
//     TPS and per-call round trip p50 / p99, with server and generator CPU.
//  2. Bytes per client per tick for a client that sees 100 moving entities, from real frames.
//  3. The area-of-interest pass for 10,000 clients on a 2,000 × 2,000 map (runs bench/aoi.ts with
//     cell interest, cells of 32; --aoi-exact runs it with exact areas instead).
//  4. POST /v1/call/transfer throughput with autocannon (in the child process too).
// Human-readable lines first, then one JSON line.
// Run: npm run bench:net [-- --seconds 8 --connections 64 --batch 256 --window 3 --transport uws
//        --durability durable|os|memory --skip-aoi --aoi-exact --skip-http]
import { fork, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '@worldline/engine';
import { createServer } from '@worldline/engine/server';
import { openDurableWorld, type DurabilityMode } from '@worldline/engine/durability/index.ts';
import transferModule from '../../examples/transfer/module.ts';
import { measureTickBytes } from './net/tick-bytes.ts';
import type { GeneratorMessage, WsLoadOptions, HttpLoadOptions, WsLoadResult, HttpLoadResult } from './net/load-generator.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    batch: { type: 'string', default: '256' },
    window: { type: 'string', default: '3' },
    accounts: { type: 'string', default: '100000' },
    transport: { type: 'string', default: 'uws' },
    durability: { type: 'string', default: 'durable' },
    'http-seconds': { type: 'string', default: '5' },
    'http-connections': { type: 'string', default: '256' },
    // uWS cannot pipeline HTTP requests answered later (uNetworking/uWebSockets.js#277): keep 1 there.
    'http-pipelining': { type: 'string', default: '1' },
    'skip-aoi': { type: 'boolean', default: false },
    'aoi-exact': { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const transport = args.transport as 'uws' | 'ws';
const durability = args.durability as DurabilityMode;
const ACCOUNTS = Number(args.accounts);
const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** Runs the load generator in a child process; `onMeasuring` fires when its measured window starts. */
function generate<R>(opts: WsLoadOptions | HttpLoadOptions, onMeasuring: () => void): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, 'net', 'load-generator.ts'), [JSON.stringify(opts)], { execArgv: ['--import', 'tsx'] });
    child.on('message', (m: GeneratorMessage) => {
      if (m.kind === 'measuring') onMeasuring();
      else if (m.kind === 'done') resolve(m.result as R);
      else reject(new Error(`load generator failed: ${m.error}`));
    });
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`load generator exited with ${code}`)); });
  });
}

// ---- 1 and 4: transfer over WebSocket and over HTTP, one durable server ----
const dir = mkdtempSync(join(tmpdir(), 'wl-bench-net-'));
const durable = await openDurableWorld(transferModule, { dataDir: join(dir, 'world'), durability, logger: silentLogger, snapshotEvery: 1_000_000 });
const world = durable.world;
void world.call('seed', { count: ACCOUNTS, balance: 1_000_000_000 });
await world.stepAsync();
const server = createServer(transferModule, {
  world, dataDir: dir, transport, logger: silentLogger, tokenSecret: 'bench-secret-0123456789abcdef',
  callsPerSecond: 1e9, callBurst: 1e9, maxFrameBytes: 1 << 20,
});
const port = await server.listen(0);
console.log(`server: ${transport}, durability '${durability}' (log in ${dir}), ${ACCOUNTS} accounts, tick rate ${transferModule.tickRate} Hz`);

let cpu0 = process.cpuUsage(), t0 = 0;
const ticks0 = { n: 0 };
const ws = await generate<WsLoadResult>({
  mode: 'ws', url: `ws://127.0.0.1:${port}/ws`, connections: Number(args.connections), batch: Number(args.batch),
  window: Number(args.window), accounts: ACCOUNTS, warmupMs: Number(args.warmup) * 1000, measureMs: Number(args.seconds) * 1000,
}, () => { cpu0 = process.cpuUsage(); t0 = performance.now(); ticks0.n = world.tick; });
const serverCpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
const ticks = world.tick - ticks0.n;
const phases = world.timingStats();
const tps = ws.ok / ws.seconds;
const serverCpuPct = ((serverCpu.user + serverCpu.system) / 1e6 / wall) * 100;
const genCpuPct = ((ws.cpuUser + ws.cpuSystem) / ws.seconds) * 100;
console.log(`transfer over WebSocket: ${Math.round(tps).toLocaleString('en')} TPS (${ws.ok.toLocaleString('en')} ok, ${ws.failed} failed ${JSON.stringify(ws.failures)}) in ${ws.seconds.toFixed(1)} s, ${args.connections} connections × ${args.window} batches × ${args.batch} calls in flight`);
console.log(`  call round trip p50 ${ws.p50.toFixed(1)} ms, p99 ${ws.p99.toFixed(1)} ms; ${ticks} ticks (${Math.round(ws.ok / Math.max(1, ticks))} calls per tick)`);
console.log(`  CPU: server ${serverCpuPct.toFixed(0)}% of a core, generator ${genCpuPct.toFixed(0)}% (2 cores = 200%)`);
console.log(`  tick phases p50/p99 (ms): ${(['calls', 'systems', 'commit', 'durability', 'publish', 'total'] as const).map((p) => `${p} ${phases[p].p50.toFixed(1)}/${phases[p].p99.toFixed(1)}`).join(', ')}`);
// CPU time per call is steadier than TPS on a shared machine: it says what one core could carry.
const serverUsPerCall = (serverCpu.user + serverCpu.system) / Math.max(1, ws.ok);
const genUsPerCall = ((ws.cpuUser + ws.cpuSystem) * 1e6) / Math.max(1, ws.ok);
console.log(`  CPU per call: server ${serverUsPerCall.toFixed(2)} µs (one core would carry ~${Math.round(1e6 / serverUsPerCall).toLocaleString('en')} TPS), generator ${genUsPerCall.toFixed(2)} µs; load average ${loadavg()[0]!.toFixed(1)}`);

let http: HttpLoadResult | null = null;
if (!args['skip-http']) {
  const token = server.tokens.issue().token;
  http = await generate<HttpLoadResult>({
    mode: 'http', url: `http://127.0.0.1:${port}/v1/call/transfer`, token, connections: Number(args['http-connections']),
    pipelining: Number(args['http-pipelining']), accounts: ACCOUNTS, seconds: Number(args['http-seconds']),
  }, () => {});
  console.log(`POST /v1/call/transfer (autocannon, ${args['http-connections']} connections, pipelining ${args['http-pipelining']}): ${Math.round(http.requestsPerSecond).toLocaleString('en')} req/s, p50 ${http.p50} ms, p99 ${http.p99} ms, non-2xx ${http.non2xx}, errors ${http.errors}`);
}
await server.close();
await durable.close();
rmSync(dir, { recursive: true, force: true });

// ---- 2: bytes per client per tick ----
const bytes = await measureTickBytes(transport);
console.log(`bytes per client per tick, ${bytes.entities} moving entities: TickUpdate payload mean ${bytes.payloadMean.toFixed(1)} (p50 ${bytes.payloadP50}, max ${bytes.payloadMax}); socket bytes incl. WebSocket header ${bytes.socketMean.toFixed(1)} (target <= 330)`);
const cellBytes = await measureTickBytes(transport, 100, 400, 32);
console.log(`  same scene seen through an area with cell interest (cells of 32): payload mean ${cellBytes.payloadMean.toFixed(1)} (max ${cellBytes.payloadMax}), socket ${cellBytes.socketMean.toFixed(1)}`);

// ---- 3: area-of-interest pass (bench/aoi.ts in its own process) ----
let aoi: Record<string, number> | null = null;
if (!args['skip-aoi']) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'aoi.ts'), '--ticks', '60', '--warmup', '10', ...(args['aoi-exact'] ? [] : ['--cells', '32'])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  aoi = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
  console.log(`AOI pass (${args['aoi-exact'] ? 'exact areas' : 'cell interest, cells of 32'}), ${aoi['clients']} clients on ${aoi['map']} x ${aoi['map']}: p50 ${aoi['aoi_pass_p50_ms']} ms, p99 ${aoi['aoi_pass_p99_ms']} ms (target <= 5)`);
}

console.log(JSON.stringify({
  bench: 'net', transport, durability, node: process.version,
  transfer_tps: Math.round(tps), transfer_p50_ms: r1(ws.p50), transfer_p99_ms: r1(ws.p99), transfer_ok: ws.ok, transfer_failed: ws.failed,
  transfer_connections: Number(args.connections), transfer_batch: Number(args.batch), transfer_window: Number(args.window),
  transfer_calls_per_tick: Math.round(ws.ok / Math.max(1, ticks)),
  server_cpu_pct: Math.round(serverCpuPct), generator_cpu_pct: Math.round(genCpuPct),
  server_cpu_us_per_call: r2(serverUsPerCall), generator_cpu_us_per_call: r2(genUsPerCall), load_avg_1m: r2(loadavg()[0]!),
  tick_calls_p50_ms: r2(phases.calls.p50), tick_durability_p50_ms: r2(phases.durability.p50), tick_publish_p50_ms: r2(phases.publish.p50), tick_total_p50_ms: r2(phases.total.p50),
  bytes_per_tick_payload: r1(bytes.payloadMean), bytes_per_tick_socket: r1(bytes.socketMean), bytes_per_tick_max: bytes.payloadMax, bytes_per_tick_cells_payload: r1(cellBytes.payloadMean),
  aoi_mode: aoi ? (args['aoi-exact'] ? 'exact' : 'cells') : null, aoi_clients: aoi?.['clients'] ?? null, aoi_pass_p50_ms: aoi?.['aoi_pass_p50_ms'] ?? null, aoi_pass_p99_ms: aoi?.['aoi_pass_p99_ms'] ?? null,
  http_rps: http ? Math.round(http.requestsPerSecond) : null, http_p50_ms: http?.p50 ?? null, http_p99_ms: http?.p99 ?? null, http_non2xx: http?.non2xx ?? null,
  targets: { transfer_tps: 300_000, bytes_per_tick: 330, aoi_ms: 5 },
}));
process.exit(0);
