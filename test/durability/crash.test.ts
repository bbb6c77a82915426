// Crash safety: a server process under a steady stream of transfers is SIGKILLed at random moments,
// restarted each time, and checked: every acknowledged call survives, the total balance never changes,
// and every recovery succeeds. (loadtest/crash-soak.ts runs the same with many more kills.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashCycles } from './crash-harness.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-crash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('crash recovery', () => {
  it('survives 10 SIGKILLs at random moments with no acknowledged call lost', async () => {
    const seed = Date.now() % 100_000;
    const report = await runCrashCycles({ dataDir, kills: 10, maxAcks: 300, seed });
    expect(report.problems, `kill seed ${seed}`).toEqual([]);
    expect(report.cycles).toHaveLength(10);
    expect(report.acked).toBeGreaterThan(100);
    // the later runs really recovered something: a snapshot and/or a replayed log suffix
    expect(report.cycles.at(-1)!.recovery.tick).toBeGreaterThan(0);
  }, 120_000);
});
