// `node --import tsx loadtest/crash-soak.ts [--kills=100] [--max-acks=2000] [--seed=N] [--dir=path]`:
// the crash test at length. A server process under a steady stream of transfers is SIGKILLed at random
// moments and restarted, again and again; after every kill the data directory must hold every
// acknowledged call and an unchanged total balance. One line per kill, then one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCrashCycles } from '../test/durability/crash-harness.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const kills = Number(arg('kills', '100'));
const maxAcks = Number(arg('max-acks', '2000'));
const seed = Number(arg('seed', String(Date.now() % 1_000_000)));
const given = arg('dir', '');
const dataDir = given || fs.mkdtempSync(path.join(os.tmpdir(), 'wl-soak-'));

console.log(`crash soak: ${kills} kills, up to ${maxAcks} acknowledged calls per run, seed ${seed}, data in ${dataDir}`);
const report = await runCrashCycles({
  dataDir, kills, maxAcks, seed,
  onCycle: (c) =>
    console.log(
      `kill ${String(c.run).padStart(4)}: recovered tick ${c.recovery.tick} (snapshot ${c.recovery.snapshotTick ?? '-'}, ` +
        `${c.recovery.replayedTicks} replayed, ${c.recovery.dropped.length} tail cut(s), ${c.recovery.durationMs.toFixed(0)} ms); ` +
        `${c.ackedThisRun} acks, then killed; on disk: tick ${c.lastTick}, ${c.receipts} receipts`,
    ),
});
for (const p of report.problems) console.log(`PROBLEM: ${p}`);
const recoveries = report.cycles.map((c) => c.recovery.durationMs).sort((a, b) => a - b);
const tailCuts = report.cycles.reduce((n, c) => n + c.recovery.dropped.length, 0);
if (!given) fs.rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'crash-soak',
    kills: report.cycles.length,
    acknowledgedCalls: report.acked,
    lost: report.problems.length === 0 ? 0 : null,
    problems: report.problems.length,
    tornTailsCut: tailCuts,
    recoveryMsP50: recoveries[Math.floor(recoveries.length / 2)] ?? null,
    recoveryMsMax: recoveries.at(-1) ?? null,
    seconds: Math.round(report.durationMs / 1000),
    seed,
  }),
);
process.exitCode = report.problems.length === 0 ? 0 : 1;
