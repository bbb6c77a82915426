import { describe, expect, it } from 'vitest';
import { RunAggregator } from './aggregate.ts';
import { report, syntheticRun } from '../test-support/synthetic-run.ts';

describe('RunAggregator', () => {
  it('turns worker counters into per-client rates over the steady window', () => {
    const r = syntheticRun({ label: 'a', bots: 100, seconds: 6, bytesPerClient: 6000, tickP99: 12, serverCpu: 0.5, rttMs: 10 });
    const s = r.summary;
    expect(r.series.connected).toEqual([50, 100, 100, 100, 100, 100]);
    // The steady window starts when all bots are in (second 2).
    expect(s.steadyS).toBe(5);
    expect(s.bytesInPerClientPerSec).toBe(6000);
    expect(s.bytesInPerClientPerTick).toBe(300); // the server's tick counter says 20 Hz
    expect(s.tickRate).toBe(20);
    expect(s.bytesOutPerClientPerSec).toBe(10);
    expect(s.callsPerSec).toBe(10_000);
    expect(s.connectSuccessRate).toBe(1);
    expect(s.tickPhases.total).toMatchObject({ p99: 12, p99Worst: 12, max: 18, mean: 4 });
    expect(s.slowestPhase).toBe('systems');
    expect(s.serverCpuCores).toBe(0.5);
    expect(s.serverCpuMsPerClientPerSec).toBe(5);
    expect(s.rttMs.p50).toBeGreaterThan(9.5);
    expect(s.rttMs.p50).toBeLessThan(10.5);
    expect(s.generator.saturated).toBe(false);
  });

  it('flags a worker that runs flat out as a saturated generator', () => {
    const r = syntheticRun({ label: 'a', bots: 10, seconds: 5, bytesPerClient: 1, tickP99: 1, serverCpu: 0.1, rttMs: 1, workerCpu: 0.99 });
    expect(r.summary.generator.saturated).toBe(true);
    expect(r.summary.generator.workers[0]!.cpuMean).toBeCloseTo(0.99);
  });

  it('counts connect failures and merges error messages across workers', () => {
    const agg = new RunAggregator(0, 2);
    agg.add({ at: 1000, reports: [report(0, 1000, 3, { connectOk: 3, connectFail: 1, errors: { 'move: not joined': 2 } }), report(1, 1000, 4, { connectOk: 4, errors: { 'move: not joined': 1 } })] });
    agg.add({ at: 2000, reports: [report(0, 2000, 3), report(1, 2000, 4)] });
    const s = agg.summarize(8, 20);
    expect(s.connectAttempts).toBe(8);
    expect(s.connectSuccessRate).toBe(0.875);
    expect(s.connectedMax).toBe(7);
    expect(agg.topErrors()).toEqual([{ message: 'move: not joined', count: 3 }]);
  });
});
