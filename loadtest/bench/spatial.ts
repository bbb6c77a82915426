// Spatial index benchmark: 100,000 points on a 2000x2000 map, all moving a small step every tick.
// Per strategy: tick upkeep time, 1,000 radius queries, bulk insert, memory per point. Last line: JSON.
// Run: npm run bench:spatial. Each measurement runs in a fresh child process, so one strategy's
// JIT feedback and heap never colour another's figures.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSpatialIndex, IdList, type SpatialIndex } from '@worldline/engine/table/spatial/index.ts';

const N = 100_000;
const MAP = 2000;
const TICKS = 50;
const WARMUP_TICKS = 5;
const QUERIES = 1000;
const QUERY_R = 50;
const QUERY_BATCHES = 7;
const STEP = 1; // max step per axis per tick, world units
const STEP_TABLES = 8; // pre-drawn step patterns, cycled, so the loop measures the index and not the RNG

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Strategy { name: string; make: () => SpatialIndex; ticks?: number }
interface TickFigures { p50: number; max: number; cpuP50: number; ticks: number }
interface Figures {
  tickMs: TickFigures;
  query1000Ms: number;
  queryHits: number;
  bulkInsertMs: number;
  memoryBytesPerPoint: number;
  heapBytesPerPoint: number;
}

const rnd = mulberry32(42);
const startX = new Float32Array(N), startY = new Float32Array(N);
for (let i = 0; i < N; i++) { startX[i] = rnd() * MAP; startY[i] = rnd() * MAP; }
const steps: Float32Array[] = [];
for (let s = 0; s < STEP_TABLES * 2; s++) {
  const a = new Float32Array(N);
  for (let i = 0; i < N; i++) a[i] = (rnd() * 2 - 1) * STEP;
  steps.push(a);
}
const queryX = new Float64Array(QUERIES), queryY = new Float64Array(QUERIES);
for (let q = 0; q < QUERIES; q++) { queryX[q] = rnd() * MAP; queryY[q] = rnd() * MAP; }
const out = new IdList(4096);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

/** Moves every point one step (clamped to the map), tells the index, then forces any deferred work. */
function tick(index: SpatialIndex | null, x: Float32Array, y: Float32Array, t: number): void {
  const dx = steps[(t % STEP_TABLES) * 2], dy = steps[(t % STEP_TABLES) * 2 + 1];
  for (let i = 0; i < N; i++) {
    let nx = x[i] + dx[i], ny = y[i] + dy[i];
    if (nx < 0) nx = -nx; else if (nx > MAP) nx = 2 * MAP - nx;
    if (ny < 0) ny = -ny; else if (ny > MAP) ny = 2 * MAP - ny;
    x[i] = nx;
    y[i] = ny;
    if (index !== null) index.move(i);
  }
  if (index !== null) { out.clear(); index.queryRadius(-1, -1, 0, out); }
}

/** Wall time per tick, plus this process's CPU time per tick, which other load on the machine inflates less. */
function measureTicks(index: SpatialIndex | null, x: Float32Array, y: Float32Array, ticks: number): TickFigures {
  for (let t = 0; t < WARMUP_TICKS; t++) tick(index, x, y, t);
  const times: number[] = [], cpu: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    tick(index, x, y, t + WARMUP_TICKS);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: round(percentile(times, 0.5)), max: round(times[times.length - 1]), cpuP50: round(percentile(cpu, 0.5)), ticks };
}

/** Median of several batches of QUERIES radius queries: one batch is short enough for a single preemption to skew it. */
function measureQueries(index: SpatialIndex): { ms: number; hits: number } {
  let hits = 0;
  for (let q = 0; q < 100; q++) { out.clear(); index.queryRadius(queryX[q], queryY[q], QUERY_R, out); } // warm-up
  const batches: number[] = [];
  for (let b = 0; b < QUERY_BATCHES; b++) {
    hits = 0;
    const t0 = performance.now();
    for (let q = 0; q < QUERIES; q++) {
      out.clear();
      index.queryRadius(queryX[q], queryY[q], QUERY_R, out);
      hits += out.length;
    }
    batches.push(performance.now() - t0);
  }
  batches.sort((a, b) => a - b);
  return { ms: round(percentile(batches, 0.5)), hits };
}

function heapNow(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function runStrategy(s: Strategy): Figures {
  // Columns sized as the table would hold them (capacity = next power of two).
  const x = new Float32Array(131072), y = new Float32Array(131072);
  x.set(startX);
  y.set(startY);
  const before = heapNow();
  const index = s.make();
  index.bind({ x, y });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) index.insert(i);
  out.clear();
  index.queryRadius(-1, -1, 0, out); // forces deferred inserts
  const bulkInsertMs = round(performance.now() - t0);
  const heapBytesPerPoint = round((heapNow() - before) / N, 1);
  const memoryBytesPerPoint = round(index.memoryBytes() / N, 1);
  const tickMs = measureTicks(index, x, y, s.ticks ?? TICKS);
  const q = measureQueries(index);
  return { tickMs, query1000Ms: q.ms, queryHits: q.hits, bulkInsertMs, memoryBytesPerPoint, heapBytesPerPoint };
}

const strategies: Record<string, Strategy> = {
  grid: { name: 'grid', make: () => createSpatialIndex('grid') },
  rtree: { name: 'rtree', make: () => createSpatialIndex('rtree') },
  'rtree-incremental': { name: 'rtree-incremental', make: () => createSpatialIndex('rtree', { rebuildFraction: Infinity }), ticks: 10 },
};
const SWEEP = [16, 32, 50, 64, 100];
for (const cellSize of SWEEP) {
  strategies[`grid/${cellSize}`] = { name: `grid/${cellSize}`, make: () => createSpatialIndex('grid', { cellSize }), ticks: 20 };
}

function inChild(name: string): Figures {
  const script = fileURLToPath(import.meta.url);
  const stdout = execFileSync(process.execPath, [...process.execArgv, script, '--child', name], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Figures;
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const name = process.argv[childAt + 1];
  const s = strategies[name];
  if (name === 'writes-only') {
    const x = new Float32Array(N), y = new Float32Array(N);
    x.set(startX);
    y.set(startY);
    console.log(JSON.stringify(measureTicks(null, x, y, TICKS)));
  } else if (s) {
    console.log(JSON.stringify(runStrategy(s)));
  } else {
    throw new Error(`unknown strategy ${name}; use one of ${Object.keys(strategies).join(', ')}`);
  }
} else {
  main();
}

function main(): void {
  console.log(`spatial bench: ${N} points on a ${MAP}x${MAP} map, each moving up to ${STEP} unit per axis per tick; `
    + `${TICKS} ticks (+${WARMUP_TICKS} warm-up), ${QUERIES} radius queries of r=${QUERY_R}; one child process per line`);
  const writesOnly = inChild('writes-only') as unknown as TickFigures;
  console.log(`  column writes alone (no index): tick p50 ${writesOnly.p50} ms (cpu ${writesOnly.cpuP50}), max ${writesOnly.max} ms`);

  const results: Record<string, Figures> = {};
  for (const name of ['grid', 'rtree', 'rtree-incremental']) {
    const f = inChild(name);
    results[name] = f;
    console.log(`  ${name.padEnd(18)} tick p50 ${f.tickMs.p50} ms (cpu ${f.tickMs.cpuP50}), max ${f.tickMs.max} ms (${f.tickMs.ticks} ticks) | `
      + `1000 queries r=${QUERY_R}: ${f.query1000Ms} ms (median of ${QUERY_BATCHES}; ${f.queryHits} hits after ${f.tickMs.ticks + WARMUP_TICKS} ticks) | bulk insert ${f.bulkInsertMs} ms | `
      + `memory ${f.memoryBytesPerPoint} B/point (index's own count), ${f.heapBytesPerPoint} B/point (heap delta)`);
  }

  // Grid cell size sweep, to justify the default.
  const sweep: Record<string, { tickP50Ms: number; tickCpuP50Ms: number; query1000Ms: number; memoryBytesPerPoint: number }> = {};
  for (const cellSize of SWEEP) {
    const f = inChild(`grid/${cellSize}`);
    sweep[cellSize] = { tickP50Ms: f.tickMs.p50, tickCpuP50Ms: f.tickMs.cpuP50, query1000Ms: f.query1000Ms, memoryBytesPerPoint: f.memoryBytesPerPoint };
    console.log(`  grid cellSize ${String(cellSize).padEnd(4)} tick p50 ${f.tickMs.p50} ms (cpu ${f.tickMs.cpuP50}) | 1000 queries ${f.query1000Ms} ms | ${f.memoryBytesPerPoint} B/point`);
  }

  const rtreeBest = results['rtree'].tickMs.p50 <= results['rtree-incremental'].tickMs.p50 ? 'rtree' : 'rtree-incremental';
  const chosen = results.grid.tickMs.p50 <= results[rtreeBest].tickMs.p50 ? 'grid' : 'rtree';
  console.log(`  chosen for moving points: ${chosen} (grid tick p50 ${results.grid.tickMs.p50} ms vs ${rtreeBest} ${results[rtreeBest].tickMs.p50} ms)`);
  console.log(JSON.stringify({
    bench: 'spatial', points: N, map: MAP, queryRadius: QUERY_R, queries: QUERIES, stepPerAxis: STEP, node: process.version,
    writesOnlyTickMs: writesOnly, strategies: results, gridCellSizeSweep: sweep, chosen,
  }));
}
