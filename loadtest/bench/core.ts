// `npm run bench:core`: in-process engine figures — transfer throughput (uniform and Zipf α=1.5)
// against a hand-written typed-array loop with an undo log run side by side, then the same with
// overdrafts thrown (fail()) instead of returned (reject()); insert / update /
// delete / find rates; memory per row; tick time with 100,000 entities moving every tick. Throughput
// and tick figures are steady-state (after untimed warm-up runs); the main transfer figures are the
// median of three timed runs. Human-readable lines first, then one JSON line.
import { t, table, schema, createWorld, silentLogger, fail, reject } from '@worldline/engine';
import transferModule from '../../examples/transfer/module.ts';
import { lcg, zipf } from './zipf.ts';

const ACCOUNTS = 100_000;
const CALLS = Number(process.argv.find((a) => a.startsWith('--calls='))?.slice(8) ?? 2_000_000);
const BATCH = 10_000; // calls per tick
const REPEATS = 3; // timed runs per transfer workload (the median is reported)
const SENDER = '0'.repeat(64);

function workload(alpha: number) {
  const rnd = lcg(alpha === 0 ? 1 : 2);
  const pick = zipf(ACCOUNTS, alpha, rnd);
  const from = new Uint32Array(CALLS), to = new Uint32Array(CALLS), amount = new Uint32Array(CALLS);
  for (let i = 0; i < CALLS; i++) { from[i] = pick(); to[i] = pick(); amount[i] = 1 + Math.floor(rnd() * 100); }
  return { from, to, amount };
}

/** The baseline: what a hand-written loop over typed arrays with an undo log does. */
function handWritten(w: ReturnType<typeof workload>): { tps: number; failed: number } {
  const bal = new Uint32Array(ACCOUNTS + 1).fill(1000);
  const undoIdx = new Int32Array(16), undoOld = new Float64Array(16);
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    let n = 0;
    const a = w.from[i]!, b = w.to[i]!, amt = w.amount[i]!;
    try {
      if (bal[a]! < amt) throw new Error('overdraft');
      undoIdx[n] = a; undoOld[n++] = bal[a]!; bal[a] = bal[a]! - amt;
      undoIdx[n] = b; undoOld[n++] = bal[b]!; bal[b] = bal[b]! + amt;
    } catch {
      while (n > 0) { n--; bal[undoIdx[n]!] = undoOld[n]!; }
      failed++;
    }
  }
  return { tps: CALLS / ((performance.now() - t0) / 1000), failed };
}

/** `reducer`: 'transfer' refuses an overdraft with return reject(), 'transferOrFail' throws fail(). */
function engine(w: ReturnType<typeof workload>, calls = CALLS, reducer: 'transfer' | 'transferOrFail' = 'transfer'): { tps: number; failed: number; total: number } {
  const world = createWorld(transferModule, { clock: () => 0, logger: silentLogger });
  world.enqueue('seed', { count: ACCOUNTS, balance: 1000 }, SENDER, 0);
  world.step();
  let failed = 0;
  const t0 = performance.now();
  for (let start = 0; start < calls; start += BATCH) {
    const end = Math.min(calls, start + BATCH);
    for (let i = start; i < end; i++) world.enqueue(reducer, { from: w.from[i]!, to: w.to[i]!, amount: w.amount[i]! }, SENDER, 0);
    const r = world.step();
    for (const res of r.results) if (!res.ok) failed++;
  }
  const tps = calls / ((performance.now() - t0) / 1000);
  let total = 0;
  for (const a of world.tables.account.iter()) total += a.balance;
  return { tps, failed, total };
}

// ---- CRUD rates and memory on a six-column numeric table with a pk and a spatial index ----
const mob = table('mob', {
  id: t.u32().primaryKey().autoInc(),
  x: t.f32(), y: t.f32(), vx: t.f32(), vy: t.f32(), hp: t.u32(),
}, { spatial: { x: 'x', y: 'y' } });
const ms = schema({ mob });
const spawn = ms.reducer({ n: t.u32() }, (ctx, { n }) => {
  for (let i = 0; i < n; i++) ctx.db.mob.insert({ x: ctx.random() * 2000, y: ctx.random() * 2000, vx: ctx.random() * 2 - 1, vy: ctx.random() * 2 - 1, hp: 100 });
});
const hit = ms.reducer({ n: t.u32() }, (ctx, { n }) => {
  const m = ctx.db.mob;
  for (let i = 1; i <= n; i++) m.set(i, 'hp', m.get(i, 'hp') - 1);
});
const cull = ms.reducer({ n: t.u32() }, (ctx, { n }) => {
  for (let i = 1; i <= n; i++) ctx.db.mob.delete(i);
});
/** The data-oriented way: write the columns directly; the engine diffs them at commit. */
const move = ms.system((ctx) => {
  const m = ctx.db.mob;
  const x = m.mutableColumn('x'), y = m.mutableColumn('y'), vx = m.column('vx'), vy = m.column('vy');
  for (let i = 0; i < m.count; i++) {
    x[i] = x[i]! + vx[i]!;
    y[i] = y[i]! + vy[i]!;
  }
});
/** The same system cell by cell through setAt(), for comparison. */
const moveByCell = ms.system((ctx) => {
  const m = ctx.db.mob;
  const x = m.column('x'), y = m.column('y'), vx = m.column('vx'), vy = m.column('vy');
  for (let i = 0; i < m.count; i++) {
    m.setAt(i, 'x', x[i]! + vx[i]!);
    m.setAt(i, 'y', y[i]! + vy[i]!);
  }
});
const crudModule = ms.module({ reducers: { spawn, hit, cull } });
const movingModule = ms.module({ reducers: { spawn, hit, cull }, systems: [move] });
const movingByCellModule = ms.module({ reducers: { spawn, hit, cull }, systems: [moveByCell] });

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; }

function timeIt(fn: () => void): number { const t0 = performance.now(); fn(); return performance.now() - t0; }

function crud() {
  const N = 100_000;
  const w = createWorld(crudModule, { clock: () => 0, logger: silentLogger });
  w.enqueue('spawn', { n: N }, SENDER, 0);
  const insertMs = timeIt(() => w.step());
  w.enqueue('hit', { n: N }, SENDER, 0);
  const updateMs = timeIt(() => w.step());
  let found = 0;
  const findMs = timeIt(() => { for (let i = 1; i <= N; i++) if (w.tables.mob.get(i, 'hp') === 99) found++; });
  const store = w.db.byName.get('mob')!;
  const bytesPerRow = store.memoryBytes() / store.count;
  w.enqueue('cull', { n: N }, SENDER, 0);
  const deleteMs = timeIt(() => w.step());
  if (found !== N || w.tables.mob.count !== 0) throw new Error('crud benchmark lost rows');
  return { insertPerSec: N / insertMs * 1000, updatePerSec: N / updateMs * 1000, findPerSec: N / findMs * 1000, deletePerSec: N / deleteMs * 1000, bytesPerRow };
}

/** Bytes per row at `n` rows: columns, change masks, tick-start index, pk map, spatial index. */
function memoryAt(n: number): number {
  const w = createWorld(crudModule, { clock: () => 0, logger: silentLogger });
  w.enqueue('spawn', { n }, SENDER, 0);
  w.step();
  const store = w.db.byName.get('mob')!;
  return store.memoryBytes() / store.count;
}

function movingTick(mod: typeof movingModule) {
  const w = createWorld(mod, { clock: () => 0, logger: silentLogger });
  w.enqueue('spawn', { n: 100_000 }, SENDER, 0);
  w.step();
  for (let i = 0; i < 20; i++) w.step(); // warm-up: steady state, not JIT compilation
  const samples: number[] = [];
  for (let i = 0; i < 100; i++) samples.push(timeIt(() => w.step()));
  samples.sort((a, b) => a - b);
  const store = w.db.byName.get('mob')!;
  return { p50: samples[50]!, p99: samples[98]!, bytesPerRowAfterMoves: store.memoryBytes() / store.count };
}

const fmt = (n: number) => (n / 1e6).toFixed(2) + ' M/s';
const result: Record<string, number | string> = {};

/** How fast the machine is right now: ms for a fixed plain typed-array loop (best of 5). This VM
 * alternates between a fast and a slow state (the same loop takes ~9 or ~16 ms), so every figure
 * below is printed with the state it was measured in. */
const calA = new Float32Array(100_000).map((_, i) => (i % 7) / 7), calB = new Float32Array(100_000).map((_, i) => (i % 5) / 5);
function calibrate(): number {
  let best = Infinity, sink = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 40; k++) for (let i = 0; i < calA.length; i++) { calA[i] = calA[i]! * 0.5 + calB[i]!; sink += calA[i]!; }
    best = Math.min(best, performance.now() - t0);
  }
  if (sink === -1) console.log('');
  return +best.toFixed(1);
}
calibrate(); calibrate(); // warm: the first runs are not optimized yet
const noteCal = (label: string) => { const ms = calibrate(); result[`calibration_ms_${label}`] = ms; return `machine: calibration loop ${ms} ms`; };
/** Each workload with its overdraft count, for the thrown-overdraft runs below. */
const workloads = new Map<number, { w: ReturnType<typeof workload>; failed: number }>();
for (const alpha of [0, 1.5]) {
  const calLine = noteCal(alpha === 0 ? 'uniform' : 'zipf');
  const w = workload(alpha);
  // Warm-up runs (not timed): a server runs for hours, so the figures are steady-state, not the
  // first seconds of JIT compilation. The engine warms up on a throwaway world.
  handWritten(w);
  engine(w, CALLS / 10);
  // Three timed runs of each, interleaved so both see the same machine states; the figures are the
  // medians (a single run is at the mercy of the VM switching speed during it), the range is printed.
  const engRuns: number[] = [], baseRuns: number[] = [];
  let failed = -1;
  for (let rep = 0; rep < REPEATS; rep++) {
    const base = handWritten(w);
    const eng = engine(w);
    if (eng.total !== ACCOUNTS * 1000) throw new Error(`money was created or destroyed: ${eng.total}`);
    if (eng.failed !== base.failed) throw new Error(`engine and baseline disagree on failures: ${eng.failed} vs ${base.failed}`);
    engRuns.push(eng.tps); baseRuns.push(base.tps); failed = eng.failed;
  }
  const eng = median(engRuns), base = median(baseRuns);
  const label = alpha === 0 ? 'uniform' : 'zipf1.5';
  console.log(`transfer ${label.padEnd(8)} engine ${fmt(eng)} (runs ${engRuns.map((x) => (x / 1e6).toFixed(2)).join(' / ')})  hand-written ${fmt(base)}  ratio ${(base / eng).toFixed(2)}x  (${(failed / CALLS * 100).toFixed(1)}% overdrafts rolled back; ${calLine}, ${noteCal(alpha === 0 ? 'uniform_end' : 'zipf_end').replace('machine: ', 'after: ')})`);
  result[`transfer_${label}_tps`] = Math.round(eng);
  result[`transfer_${label}_tps_min`] = Math.round(Math.min(...engRuns));
  result[`transfer_${label}_tps_max`] = Math.round(Math.max(...engRuns));
  result[`handwritten_${label}_tps`] = Math.round(base);
  result[`baseline_ratio_${label}`] = +(base / eng).toFixed(2);
  workloads.set(alpha, { w, failed });
}
// Measured after the figures above, and kept apart from them: once the tick has called two different
// reducers, its call into the reducer is polymorphic, which cost ~10 % in a paired run (a world
// calling many reducers pays that too; the figures above are the one-reducer case).
const failLine: string[] = [];
for (const alpha of [0, 1.5]) {
  const { w, failed } = workloads.get(alpha)!;
  engine(w, CALLS / 10, 'transferOrFail');
  const thrown = engine(w, CALLS, 'transferOrFail');
  if (thrown.total !== ACCOUNTS * 1000) throw new Error(`money was created or destroyed: ${thrown.total}`);
  if (thrown.failed !== failed) throw new Error(`thrown and returned overdrafts disagree: ${thrown.failed} vs ${failed}`);
  const label = alpha === 0 ? 'uniform' : 'zipf1.5';
  failLine.push(`${label} ${fmt(thrown.tps)}`);
  result[`transfer_${label}_fail_tps`] = Math.round(thrown.tps);
}
console.log(`transfer with overdrafts thrown by fail() instead of returned by reject(), after other reducers ran: ${failLine.join(', ')}`);
// ---- what a refused call costs: fail() throws, reject() returns ----
const gate = table('gate', { id: t.u32().primaryKey() });
const gs = schema({ gate });
const refuseModule = gs.module({ reducers: {
  accepted: gs.reducer({ n: t.u32() }, (_ctx, { n }) => { if (n > 4e9) return reject(`over ${n}`); }),
  failed: gs.reducer({ n: t.u32() }, (_ctx, { n }) => { if (n >= 0) fail(`refused: ${n} is not allowed`); }),
  rejected: gs.reducer({ n: t.u32() }, (_ctx, { n }) => { if (n >= 0) return reject(`refused: ${n} is not allowed`); }),
} });
function refusals(): Record<'accepted' | 'failed' | 'rejected', number> {
  const w = createWorld(refuseModule, { clock: () => 0, logger: silentLogger });
  const out = { accepted: 0, failed: 0, rejected: 0 };
  for (const round of [0, 1]) {
    for (const name of ['accepted', 'failed', 'rejected'] as const) {
      const t0 = performance.now();
      for (let k = 0; k < 20; k++) { for (let i = 0; i < BATCH; i++) w.enqueue(name, { n: i }, SENDER, 0); w.step(); }
      if (round === 1) out[name] = (performance.now() - t0) / (20 * BATCH) * 1e6; // round 0 warms up
    }
  }
  return out;
}
const rf = refusals();
console.log(`ns per call, enqueue to result: accepted ${rf.accepted.toFixed(0)}, refused with fail() ${rf.failed.toFixed(0)}, refused with return reject() ${rf.rejected.toFixed(0)}`);
Object.assign(result, { call_accepted_ns: Math.round(rf.accepted), call_fail_ns: Math.round(rf.failed), call_reject_ns: Math.round(rf.rejected) });

const c = crud();
console.log(`insert ${fmt(c.insertPerSec)}  update ${fmt(c.updatePerSec)}  delete ${fmt(c.deletePerSec)}  find ${fmt(c.findPerSec)}`);
const perRow1M = memoryAt(1_000_000);
console.log(`memory per row (6 numeric columns, pk, spatial index; arrays grow by doubling): ${c.bytesPerRow.toFixed(1)} bytes at 100,000 rows ` +
  `(capacity 131,072), ${perRow1M.toFixed(1)} bytes at 1,000,000 rows (capacity 1,048,576)`);
const mvCal = noteCal('moving');
const mv = movingTick(movingModule);
const mvCell = movingTick(movingByCellModule);
console.log(`tick with 100,000 entities moving (spatial index kept current): p50 ${mv.p50.toFixed(2)} ms, p99 ${mv.p99.toFixed(2)} ms ` +
  `(mutableColumn; cell by cell with setAt: p50 ${mvCell.p50.toFixed(2)} ms; ${mvCal})`);
Object.assign(result, {
  insert_per_s: Math.round(c.insertPerSec), update_per_s: Math.round(c.updatePerSec), delete_per_s: Math.round(c.deletePerSec), find_per_s: Math.round(c.findPerSec),
  bytes_per_row: +c.bytesPerRow.toFixed(1), bytes_per_row_1m: +perRow1M.toFixed(1), moving_tick_p50_ms: +mv.p50.toFixed(2), moving_tick_p99_ms: +mv.p99.toFixed(2),
  moving_tick_setat_p50_ms: +mvCell.p50.toFixed(2),
  calls: CALLS, batch: BATCH, node: process.version,
});
console.log(JSON.stringify(result));
