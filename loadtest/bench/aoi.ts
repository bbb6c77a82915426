// Area-of-interest benchmark: 10,000 clients, each with an area (radius 50-100) following its own
// avatar on a 2,000 x 2,000 map of 100,000 entities (the avatars are 10,000 of them). Every avatar
// walks every tick; optionally a share of the other entities moves too. Measures the subscription
// pass per tick (route the change set + follow/re-anchor areas + hand deltas to a counting sink),
// not the tick that moved the avatars. Last line: JSON.
// --cells U: the entity table's areas work by cells of U world units (clients receive whole cells;
// one encoded block per cell serves every client); default: exact areas. --frames: hand deltas to
// the server's real encoder (every client's TickUpdate is assembled, then dropped) instead of a
// counting sink, so the figure includes frame assembly and bytes per client are measured.
// Run: npm run bench:aoi [-- --clients N --entities N --map N --speed U --moving F --ticks N --radius LO-HI --row-cell U --area-cell U --cells U --frames --profile FILE]
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { loadavg, availableParallelism } from 'node:os';
import { createWorld, silentLogger } from '@worldline/engine';
import { SubscriptionManager, type ClientDelta, type DeltaSink } from '@worldline/engine/subscribe/index.ts';
import { DeltaSender } from '@worldline/engine/server/delta-sender.ts';
import { moduleLayouts } from '@worldline/engine/protocol/module-layouts.ts';
import { aoiModule, identities, mulberry32 } from '@worldline/engine/subscribe/test-support/aoi-module.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '10000' },
    entities: { type: 'string', default: '100000' },
    map: { type: 'string', default: '2000' },
    speed: { type: 'string', default: '0.5' }, // world units per tick (10 units/s at 20 Hz)
    moving: { type: 'string', default: '0' }, // share of non-avatar entities moving each tick
    ticks: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '20' },
    radius: { type: 'string', default: '50-100' }, // area radius range lo-hi (uniform)
    'row-cell': { type: 'string', default: '16' },
    'area-cell': { type: 'string', default: '32' },
    cells: { type: 'string' },
    frames: { type: 'boolean', default: false },
    profile: { type: 'string' }, // write a .cpuprofile of the measured ticks only
  },
});
const CLIENTS = Number(args.clients), ENTITIES = Math.max(Number(args.entities), CLIENTS), MAP = Number(args.map);
const [R_LO, R_HI] = args.radius!.split('-').map(Number) as [number, number];
const SPEED = Number(args.speed), MOVING = Number(args.moving), TICKS = Number(args.ticks), WARMUP = Number(args.warmup);

const rnd = mulberry32(7);
const { module, hook } = aoiModule();
let now = 0;
const world = createWorld(module, { clock: () => (now += 50), logger: silentLogger });

// Entities 1..CLIENTS are the avatars (slot = id - 1: nothing is ever deleted).
hook.step = (ctx) => {
  for (let i = 0; i < ENTITIES; i++) ctx.db.entity.insert({ x: rnd() * MAP, y: rnd() * MAP, kind: i < CLIENTS ? 1 : 0, level: 0, zone: 'z' });
};
world.step();

const heading = new Float64Array(CLIENTS);
for (let i = 0; i < CLIENTS; i++) heading[i] = rnd() * Math.PI * 2;
const movers = Math.round((ENTITIES - CLIENTS) * MOVING);
hook.step = (ctx) => {
  const e = ctx.db.entity;
  const xs = e.column('x'), ys = e.column('y');
  for (let i = 0; i < CLIENTS; i++) {
    heading[i] += (rnd() - 0.5) * 0.5;
    let x = xs[i]! + Math.cos(heading[i]!) * SPEED, y = ys[i]! + Math.sin(heading[i]!) * SPEED;
    if (x < 0 || x > MAP) { heading[i] = Math.PI - heading[i]!; x = Math.min(MAP, Math.max(0, x)); }
    if (y < 0 || y > MAP) { heading[i] = -heading[i]!; y = Math.min(MAP, Math.max(0, y)); }
    e.setAt(i, 'x', x);
    e.setAt(i, 'y', y);
  }
  for (let k = 0; k < movers; k++) {
    const s = CLIENTS + Math.floor(rnd() * (ENTITIES - CLIENTS));
    e.setAt(s, 'x', Math.min(MAP, Math.max(0, xs[s]! + (rnd() - 0.5) * 2 * SPEED)));
    e.setAt(s, 'y', Math.min(MAP, Math.max(0, ys[s]! + (rnd() - 0.5) * 2 * SPEED)));
  }
};

let entered = 0, updated = 0, left = 0, deltas = 0, frames = 0, frameBytes = 0;
const CELLS = args.cells ? Number(args.cells) : 0;
const mgr = new SubscriptionManager(world, {
  rowCellSize: Number(args['row-cell']),
  areaCellSize: Number(args['area-cell']),
  ...(CELLS > 0 ? { cellInterest: { entity: { cellSize: CELLS, bounds: { minX: 0, minY: 0, maxX: MAP, maxY: MAP } } } } : {}),
});
const counting: DeltaSink = {
  clientDelta(d: ClientDelta) {
    deltas++;
    for (const t of d.tables) { entered += t.enteredCount; updated += t.updatedCount; left += t.leftCount; }
  },
};
const sender = new DeltaSender(mgr, moduleLayouts(module).tables, world.db.tables.length, {
  sendDelta(_id, bytes) { frames++; frameBytes += bytes.length; },
});
mgr.setSink(args.frames ? sender : counting);
const ids = identities(CLIENTS);
const tSetup = performance.now();
for (let i = 0; i < CLIENTS; i++) {
  mgr.addClient(i + 1, ids[i]!);
  mgr.setArea(i + 1, { table: 'entity', radius: R_LO + rnd() * ((R_HI ?? R_LO) - R_LO), follow: i + 1 });
}
world.step(); // applies the 10,000 setArea requests: every client gets its initial rows
const setupMs = performance.now() - tSetup;
console.log(`setup: ${CLIENTS} areas over ${ENTITIES} entities in ${setupMs.toFixed(0)} ms; ${mgr.stats().heldRows} rows held (${(mgr.stats().heldRows / CLIENTS).toFixed(0)} per client)`);

let session: Session | null = null;
const pass: number[] = [], route: number[] = [], follow: number[] = [], deliver: number[] = [];
let sumEntered = 0, sumUpdated = 0, sumLeft = 0, sumDeltas = 0, sumFrames = 0, sumBytes = 0;
for (let t = 0; t < WARMUP + TICKS; t++) {
  entered = updated = left = deltas = frames = frameBytes = 0;
  if (t === WARMUP && args.profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  world.step();
  const tm = mgr.timings;
  if (t < WARMUP) continue;
  pass.push(tm.route + tm.requests + tm.follow + tm.deliver);
  route.push(tm.route);
  follow.push(tm.follow);
  deliver.push(tm.deliver);
  sumEntered += entered; sumUpdated += updated; sumLeft += left; sumDeltas += deltas; sumFrames += frames; sumBytes += frameBytes;
}
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(args.profile!, JSON.stringify(profile));
  console.log(`profile of the measured ticks: ${args.profile}`);
}
const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const r2 = (v: number) => Math.round(v * 100) / 100;
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const st = mgr.stats();
const mem = process.memoryUsage();
console.log(`mode: ${CELLS > 0 ? `cells of ${CELLS} units (clients receive whole cells)` : 'exact areas'}; sink: ${args.frames ? 'real frame assembly (included in the pass)' : 'counting'}`);
console.log(`AOI pass per tick: p50 ${pct(pass, 0.5).toFixed(2)} ms, p99 ${pct(pass, 0.99).toFixed(2)} ms, mean ${mean(pass).toFixed(2)} ms (target <= 5 ms)`);
console.log(`  route change set p50 ${pct(route, 0.5).toFixed(2)} ms | follow + re-anchor p50 ${pct(follow, 0.5).toFixed(2)} ms | deliver p50 ${pct(deliver, 0.5).toFixed(2)} ms`);
if (!args.frames) console.log(`  per tick: ${(sumUpdated / TICKS).toFixed(0)} row updates to clients, ${(sumEntered / TICKS).toFixed(0)} entered, ${(sumLeft / TICKS).toFixed(0)} left, ${(sumDeltas / TICKS).toFixed(0)} client deltas${CELLS > 0 ? ' (cell areas are not counted by row: use --frames)' : ''}`);
else console.log(`  per tick: ${(sumFrames / TICKS).toFixed(0)} frames, ${(sumBytes / Math.max(1, sumFrames)).toFixed(0)} bytes per frame, ${(sumBytes / TICKS / CLIENTS).toFixed(0)} bytes per client`);
console.log(`  machine load average (1 min) at the end: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores (other processes skew these figures)`);
console.log(`  held rows ${st.heldRows} (${(st.heldRows / CLIENTS).toFixed(0)} per client); heap ${(mem.heapUsed / 1e6).toFixed(0)} MB, array buffers ${(mem.arrayBuffers / 1e6).toFixed(0)} MB`);
console.log(JSON.stringify({
  bench: 'aoi', mode: CELLS > 0 ? 'cells' : 'exact', cell_size: CELLS || null, sink: args.frames ? 'frames' : 'counting', radius: args.radius, row_cell: Number(args['row-cell']), area_cell: Number(args['area-cell']), clients: CLIENTS, entities: ENTITIES, map: MAP, speed: SPEED, moving_share: MOVING, ticks: TICKS,
  aoi_pass_p50_ms: r2(pct(pass, 0.5)), aoi_pass_p99_ms: r2(pct(pass, 0.99)), aoi_pass_mean_ms: r2(mean(pass)),
  route_p50_ms: r2(pct(route, 0.5)), follow_p50_ms: r2(pct(follow, 0.5)), deliver_p50_ms: r2(pct(deliver, 0.5)),
  updates_per_tick: Math.round(sumUpdated / TICKS), entered_per_tick: Math.round(sumEntered / TICKS), left_per_tick: Math.round(sumLeft / TICKS),
  rows_per_client: Math.round(st.heldRows / CLIENTS), bytes_per_client: args.frames ? Math.round(sumBytes / TICKS / CLIENTS) : null, setup_ms: Math.round(setupMs), target_ms: 5,
  load_avg_1m: +loadavg()[0]!.toFixed(2), node: process.version,
}));
