// Kill-and-recover cycles shared by the crash test (npm test) and the crash soak (loadtest/): a child
// server process runs the bank world under a stream of transfers and is SIGKILLed at a random moment;
// after each kill the data directory is checked read-only, then the next child recovers from it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@worldline/engine';
import { openDurableWorld, openReadOnly, worldAt, type RecoveryReport } from '@worldline/engine/durability/index.ts';
import bank, { ACCOUNTS, TOTAL } from './bank-module.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'crash-child.ts');
const ROOT = path.resolve(here, '../..');

export interface CrashOptions {
  dataDir: string;
  kills: number;
  /** Each run is killed after a random number of acknowledged calls in [0, maxAcks]. */
  maxAcks: number;
  /** Seed of the kill moments (so a failing run can be repeated). */
  seed: number;
  onCycle?: (c: CycleReport) => void;
}

export interface CycleReport {
  run: number;
  recovery: RecoveryReport;
  ackedThisRun: number;
  killedAfterAcks: number;
  /** Last tick on disk after the kill (read-only view). */
  lastTick: number;
  receipts: number;
}

export interface CrashReport {
  cycles: CycleReport[];
  acked: number;
  problems: string[];
  durationMs: number;
}

function total(w: { tables: { account: { iter(): IterableIterator<{ balance: number }> } } }): number {
  let sum = 0;
  for (const a of w.tables.account.iter()) sum += a.balance;
  return sum;
}

/** Runs one child until it has acknowledged `killAt` calls, then SIGKILLs it. */
function runChild(dataDir: string, run: number, killAt: number, acked: Set<number>) {
  return new Promise<{ recovery?: RecoveryReport; ackedThisRun: number; error?: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(run)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    let recovery: RecoveryReport | undefined;
    let ackedThisRun = 0;
    let killed = false;
    const kill = () => {
      if (!killed) child.kill('SIGKILL');
      killed = true;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      // Only whole lines count: a line cut by the kill was never acknowledged.
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ack ')) {
          acked.add(Number(line.slice(4)));
          ackedThisRun++;
        } else if (line.startsWith('ready ')) {
          recovery = (JSON.parse(line.slice(6)) as { recovery: RecoveryReport }).recovery;
        }
        if (recovery !== undefined && ackedThisRun >= killAt) kill();
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve({ recovery, ackedThisRun });
      else resolve({ recovery, ackedThisRun, error: `child exited by itself (code ${code}, signal ${signal}): ${stderr.slice(-2000)}` });
    });
  });
}

export async function runCrashCycles(opts: CrashOptions): Promise<CrashReport> {
  const t0 = performance.now();
  let seed = opts.seed >>> 0 || 1;
  const rnd = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const acked = new Set<number>();
  const problems: string[] = [];
  const cycles: CycleReport[] = [];
  let lastVerifiedTick = 0;
  for (let run = 1; run <= opts.kills; run++) {
    const killAt = rnd(opts.maxAcks + 1);
    const r = await runChild(opts.dataDir, run, killAt, acked);
    if (r.error) problems.push(`run ${run}: ${r.error}`);
    if (!r.recovery) {
      problems.push(`run ${run}: the child never reported a recovery`);
      break;
    }
    if (r.recovery.tick !== lastVerifiedTick)
      problems.push(`run ${run}: recovered to tick ${r.recovery.tick}, but tick ${lastVerifiedTick} was on disk`);
    if (r.recovery.mismatches.length > 0) problems.push(`run ${run}: hash mismatches during recovery`);

    // Check the directory the kill left behind, without repairing it (the next child does that).
    const ro = openReadOnly(opts.dataDir, bank, silentLogger);
    const lastTick = ro.log.lastTick ?? 0;
    const w = worldAt(ro, lastTick);
    let missing = 0;
    for (const id of acked) if (!w.tables.receipt.has(id)) missing++;
    if (missing > 0) problems.push(`run ${run}: ${missing} acknowledged call(s) missing at tick ${lastTick}`);
    const sum = total(w);
    if (sum !== TOTAL || w.tables.account.count !== ACCOUNTS) problems.push(`run ${run}: total balance ${sum}, expected ${TOTAL}`);
    lastVerifiedTick = lastTick;
    const c: CycleReport = { run, recovery: r.recovery, ackedThisRun: r.ackedThisRun, killedAfterAcks: killAt, lastTick, receipts: w.tables.receipt.count };
    cycles.push(c);
    opts.onCycle?.(c);
    if (problems.length > 0) break;
  }

  // A last recovery in this process: the state every client was told about is there.
  const dw = await openDurableWorld(bank, { dataDir: opts.dataDir, logger: silentLogger, snapshotOnClose: false });
  if (dw.world.tick !== lastVerifiedTick) problems.push(`final recovery reached tick ${dw.world.tick}, expected ${lastVerifiedTick}`);
  for (const id of acked) if (!dw.world.tables.receipt.has(id)) problems.push(`final recovery lacks acknowledged call ${id}`);
  if (total(dw.world) !== TOTAL) problems.push(`final total balance ${total(dw.world)}, expected ${TOTAL}`);
  await dw.close();
  return { cycles, acked: acked.size, problems: problems.slice(0, 20), durationMs: performance.now() - t0 };
}
