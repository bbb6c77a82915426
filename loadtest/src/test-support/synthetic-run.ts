// Builds a RunResult from synthetic worker reports and scrapes, for report and compare tests.

import { LogHistogram } from '../stats/log-histogram.ts';
import type { WorkerReport } from '../runner/messages.ts';
import { RunAggregator } from '../runner/aggregate.ts';
import type { RunResult } from '../report/result.ts';
import type { ServerSnapshot } from '../metrics/server-snapshot.ts';

export interface SyntheticOptions {
  label: string;
  bots: number;
  seconds: number;
  /** Bytes each client receives per second. */
  bytesPerClient: number;
  tickP99: number;
  serverCpu: number;
  rttMs: number;
  workerCpu?: number;
}

export function report(workerId: number, at: number, connected: number, o: Partial<WorkerReport> & { rttMs?: number } = {}): WorkerReport {
  const rtt = new LogHistogram();
  if (o.rttMs !== undefined) for (let i = 0; i < 100; i++) rtt.record(o.rttMs * (0.5 + i / 100));
  const empty = new LogHistogram().toJSON();
  return {
    type: 'report', workerId, at, intervalMs: 1000, connected, connectOk: 0, connectFail: 0, drops: 0, calls: 0,
    callErrors: 0, skipped: 0, bytesIn: 0, bytesOut: 0, framesIn: 0, rtt: rtt.toJSON(), updateLatency: empty,
    connectMs: empty, areaRows: empty, cpuSeconds: 0.1, elu: 0.1, errors: {}, ...o,
  };
}

export function syntheticRun(o: SyntheticOptions): RunResult {
  const start = 1_700_000_000_000;
  const agg = new RunAggregator(start, 1);
  for (let s = 1; s <= o.seconds; s++) {
    const connected = s === 1 ? Math.floor(o.bots / 2) : o.bots;
    const server: ServerSnapshot = {
      at: start + s * 1000,
      tickPhases: {
        total: { p50: o.tickP99 / 3, p99: o.tickP99, max: o.tickP99 * 1.5, sumMs: s * 20 * (o.tickP99 / 3), count: s * 20 },
        systems: { p50: o.tickP99 / 6, p99: o.tickP99 / 2, max: o.tickP99, sumMs: s * 10, count: s * 20 },
      },
      cpuSeconds: s * o.serverCpu,
      rssBytes: 200 * 2 ** 20,
      tick: s * 20,
    };
    agg.add({
      at: start + s * 1000,
      reports: [
        report(0, start + s * 1000, connected, {
          connectOk: s === 1 ? o.bots : 0, calls: 100 * connected, bytesIn: o.bytesPerClient * connected,
          bytesOut: 10 * connected, rttMs: o.rttMs, cpuSeconds: o.workerCpu ?? 0.2,
        }),
      ],
      server,
    });
  }
  return {
    version: 1, label: o.label, scenario: 'scene', target: o.label, driver: o.label,
    config: { bots: o.bots, durationS: o.seconds, workers: 1, url: 'ws://127.0.0.1:1', params: { entities: 1000 }, connectRate: 500, stepMs: 100, intervalS: 1, serverStartedByHarness: true },
    startedAt: new Date(start).toISOString(), endedAt: new Date(start + o.seconds * 1000).toISOString(),
    machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux-x64' },
    series: agg.series, summary: agg.summarize(o.bots, 20), warnings: [], errors: agg.topErrors(),
  };
}
