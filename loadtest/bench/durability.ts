// `npm run bench:durability`: what durability costs and how fast it gives state back.
//  1. durable commit cost per tick: the transfer world at 20 Hz with 1,000 calls per tick, fsync per tick;
//  2. recovery time with 1,000,000 rows (snapshot + a replayed log suffix);
//  3. at(t) for random t in a 72,000-tick log (one hour at 20 Hz), snapshots every 1,200 ticks (the default);
//  4. log bytes per call.
// Human-readable lines first, then one JSON line. Options: --seconds=10 --at-ticks=72000 --keep (data dir).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '@worldline/engine';
import { openDurableWorld } from '@worldline/engine/durability/index.ts';
import { encodeRecord } from '@worldline/engine/durability/record-codec.ts';
import transferModule from '../../examples/transfer/module.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const SECONDS = arg('seconds', 10);
const AT_TICKS = arg('at-ticks', 72_000);
const AT_CALLS = arg('at-calls', 100);
const SNAPSHOT_EVERY = 1200;
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-bench-dur-'));
const SENDERS = Array.from({ length: 64 }, (_, i) => (i + 1).toString(16).padStart(64, '0'));

let x = 7;
const rnd = (n: number): number => {
  x = (x + 0x6d2b79f5) | 0;
  let r = Math.imul(x ^ (x >>> 15), 1 | x);
  r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
  return ((r ^ (r >>> 14)) >>> 0) % n;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};
const r2 = (v: number): number => Math.round(v * 100) / 100;

type DW = Awaited<ReturnType<typeof openDurableWorld<typeof transferModule>>>;

function enqueueTransfers(dw: DW, n: number, accounts: number): void {
  for (let i = 0; i < n; i++) {
    dw.world.enqueue('transfer', { from: 1 + rnd(accounts), to: 1 + rnd(accounts), amount: 1 + rnd(100) }, SENDERS[i & 63]!, 1 + (i & 63));
  }
}

async function seeded(dataDir: string, durability: 'os' | 'durable', accounts: number, extra: object = {}): Promise<DW> {
  const dw = await openDurableWorld(transferModule, { dataDir, durability, logger: silentLogger, ...extra });
  dw.world.enqueue('seed', { count: accounts, balance: 1_000_000 }, SENDERS[0]!, 0);
  dw.world.step();
  await dw.world.committed();
  return dw;
}

// ---- 1. durable commit cost at 20 Hz, 1,000 calls per tick ----
async function commitCost() {
  const dw = await seeded(path.join(ROOT, 'commit'), 'durable', 100_000, { snapshotEvery: 1_000_000 });
  const bytes0 = dw.log.bytesAppended;
  const ticks = SECONDS * 20;
  const encode: number[] = [];
  const dt = 50;
  let next = performance.now();
  for (let i = 0; i < ticks; i++) {
    enqueueTransfers(dw, 1000, 100_000);
    const r = dw.world.step();
    const e0 = performance.now();
    encodeRecord({ kind: 'tick', tick: r.tick, time: r.time, seed: r.seed, inputs: r.inputs, hash: r.hash });
    encode.push(performance.now() - e0);
    await dw.world.committed();
    next += dt;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  const bytesPerCall = (dw.log.bytesAppended - bytes0) / (ticks * 1000);
  const stats = dw.world.timingStats();
  await dw.close();
  // The engine's 'durability' phase: from the commit hook's start (encoding the record) to the fsync done.
  return { ticks, commitP50: stats.durability.p50, commitP99: stats.durability.p99, encodeP50: pct(encode, 0.5), bytesPerCall, tickTotalP99: stats.total.p99 };
}

// ---- 2. recovery with 1,000,000 rows ----
async function recovery() {
  const dir = path.join(ROOT, 'recovery');
  const ROWS = 1_000_000;
  const SUFFIX = 200;
  const dw = await seeded(dir, 'os', ROWS, { snapshotEvery: 1_000_000 });
  await dw.snapshotNow();
  for (let i = 0; i < SUFFIX; i++) {
    enqueueTransfers(dw, 1000, ROWS);
    dw.world.step();
    await dw.world.committed();
  }
  const hash = dw.world.hash();
  await dw.flush();
  // Leave as a crash would: no snapshot on close (so recovery = snapshot + 200-tick suffix), and the
  // lock file left behind for the next open to take over.
  await dw.log.close();
  fs.rmSync(path.join(dir, 'LOCK'));
  const snapBytes = fs.statSync(path.join(dir, 'snapshots', fs.readdirSync(path.join(dir, 'snapshots'))[0]!)).size;
  const times: number[] = [];
  let replayed = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const again = await openDurableWorld(transferModule, { dataDir: dir, durability: 'os', logger: silentLogger, snapshotOnClose: false, snapshotEvery: 1_000_000 });
    times.push(performance.now() - t0);
    if (again.world.hash() !== hash) throw new Error('recovered state differs from the state before the crash');
    replayed = again.recovery.replayedTicks;
    await again.log.close();
    fs.rmSync(path.join(dir, 'LOCK'));
  }
  return { rows: ROWS, suffixTicks: replayed, suffixCalls: replayed * 1000, snapshotMB: snapBytes / 1e6, recoveryMs: Math.min(...times), recoveryMsWorst: Math.max(...times) };
}

// ---- 3. at(t) in a 72,000-tick log ----
async function timeTravel() {
  const dir = path.join(ROOT, 'at');
  const ACCOUNTS = 100_000;
  const dw = await seeded(dir, 'os', ACCOUNTS, { snapshotEvery: SNAPSHOT_EVERY, keepSnapshots: Math.ceil(AT_TICKS / SNAPSHOT_EVERY) + 2 });
  const t0 = performance.now();
  while (dw.world.tick < AT_TICKS) {
    enqueueTransfers(dw, AT_CALLS, ACCOUNTS);
    dw.world.step();
    await dw.world.committed();
  }
  await dw.flush();
  const buildS = (performance.now() - t0) / 1000;
  const logBytes = fs.readdirSync(path.join(dir, 'log')).reduce((s, f) => s + fs.statSync(path.join(dir, 'log', f)).size, 0);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = 1 + rnd(AT_TICKS);
    const a0 = performance.now();
    const v = dw.at(t);
    times.push(performance.now() - a0);
    if (v.tick !== t) throw new Error(`at(${t}) returned tick ${v.tick}`);
  }
  await dw.close();
  return { ticks: AT_TICKS, callsPerTick: AT_CALLS, snapshotEvery: SNAPSHOT_EVERY, logMB: logBytes / 1e6, buildS, atP50: pct(times, 0.5), atMax: Math.max(...times), times };
}

try {
  const c = await commitCost();
  console.log(
    `durable commit (fsync per tick), 20 Hz x 1,000 calls/tick, ${c.ticks} ticks: p50 ${c.commitP50.toFixed(2)} ms, p99 ${c.commitP99.toFixed(2)} ms ` +
      `(of which encoding on the tick thread p50 ${c.encodeP50.toFixed(2)} ms); whole tick p99 ${c.tickTotalP99.toFixed(2)} ms`,
  );
  console.log(`log bytes per call: ${c.bytesPerCall.toFixed(1)}`);
  const r = await recovery();
  console.log(
    `recovery, ${r.rows.toLocaleString()} rows: ${r.recoveryMs.toFixed(0)} ms (worst of 3: ${r.recoveryMsWorst.toFixed(0)} ms) = ` +
      `snapshot (${r.snapshotMB.toFixed(1)} MB) + ${r.suffixTicks} replayed ticks (${r.suffixCalls.toLocaleString()} calls); target <= 2000 ms`,
  );
  const a = await timeTravel();
  console.log(
    `at(t), random t in a ${a.ticks.toLocaleString()}-tick log (${a.callsPerTick} calls/tick, ${a.logMB.toFixed(0)} MB, built in ${a.buildS.toFixed(0)} s), ` +
      `snapshots every ${a.snapshotEvery} ticks: p50 ${a.atP50.toFixed(0)} ms, max ${a.atMax.toFixed(0)} ms; target <= 500 ms`,
  );
  console.log(`  each at() in call order, ms: ${a.times.map((t) => t.toFixed(0)).join(' ')}`);
  console.log(
    JSON.stringify({
      bench: 'durability',
      durableCommitMsP50: r2(c.commitP50),
      durableCommitMsP99: r2(c.commitP99),
      commitEncodeMsP50: r2(c.encodeP50),
      callsPerTick: 1000,
      tickHz: 20,
      recoveryMs1MRows: Math.round(r.recoveryMs),
      recoveryReplayedTicks: r.suffixTicks,
      atMsP50: Math.round(a.atP50),
      atMsMax: Math.round(a.atMax),
      atLogTicks: a.ticks,
      atSnapshotEvery: a.snapshotEvery,
      logBytesPerCall: r2(c.bytesPerCall),
    }),
  );
} finally {
  if (!process.argv.includes('--keep')) fs.rmSync(ROOT, { recursive: true, force: true });
}
