// Runs an HTTP scenario with autocannon (GET /health, POST /v1/call/:reducer, ...) while the
// same sampler as the bot runs reads /metrics and /proc, and returns a RunResult.

import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import type { HttpScenario, Params, ServerSpec } from '../scenario/scenario.ts';
import { scrapeMetrics, metricsUrlFor } from '../metrics/scrape.ts';
import { readMachineCpu, readProcStats } from '../metrics/proc-stats.ts';
import type { RunResult } from '../report/result.ts';
import type { Progress } from '../progress/progress.ts';
import { LogHistogram } from '../stats/log-histogram.ts';
import type { WorkerReport } from '../runner/messages.ts';
import { RunAggregator } from '../runner/aggregate.ts';
import { startServer, type StartedServer } from '../runner/server-process.ts';
import { machineInfo } from '../runner/machine.ts';
import { buildWarnings } from '../runner/warnings.ts';
import type { Autocannon, AutocannonResult } from './autocannon-types.ts';

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface HttpRunOptions {
  scenario: HttpScenario;
  target: string;
  label: string;
  url?: string;
  server?: ServerSpec;
  connections: number;
  durationS: number;
  params: Params;
  intervalS: number;
  cwd: string;
  progress?: Progress;
}

export async function runHttp(o: HttpRunOptions): Promise<RunResult> {
  let server: StartedServer | undefined;
  if (!o.url) {
    if (!o.server) throw new Error(`scenario ${o.scenario.name} defines no server for target "${o.target}": pass --url`);
    server = await startServer(o.server, o.params, o.cwd);
  }
  const wsUrl = o.url ?? server!.url;
  const httpUrl = metricsUrlFor(wsUrl, '/');
  const metricsUrl = metricsUrlFor(wsUrl);
  const startedAt = Date.now();
  const agg = new RunAggregator(startedAt, 1, machineInfo().cpus);
  const empty = new LogHistogram().toJSON();
  let ticks = { requests: 0, bytes: 0 };
  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  let last = startedAt;
  let scrapes = 0;
  const scrapeErrors: string[] = [];
  let result: AutocannonResult;
  try {
    const requests = await o.scenario.requests(o.params, { httpUrl: httpUrl.replace(/\/$/, '') });
    const sample = async (connected: number): Promise<void> => {
      const snap = await scrapeMetrics(metricsUrl);
      if (snap instanceof Error) scrapeErrors.push(snap.message);
      else scrapes++;
      const now = Date.now();
      const c = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const e = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      const report: WorkerReport = {
        type: 'report', workerId: 0, at: now, intervalMs: now - last, connected, connectOk: 0, connectFail: 0,
        drops: 0, calls: ticks.requests, callErrors: 0, skipped: 0, bytesIn: ticks.bytes, bytesOut: 0, framesIn: 0,
        rtt: empty, updateLatency: empty, connectMs: empty, areaRows: empty,
        cpuSeconds: (c.user + c.system) / 1e6, elu: e.utilization, errors: {},
      };
      last = now;
      ticks = { requests: 0, bytes: 0 };
      agg.add({
        at: now, reports: [report], server: snap instanceof Error ? undefined : snap,
        serverProc: server ? readProcStats(server.pid) : undefined, machine: readMachineCpu(),
      });
      const i = agg.series.t.length - 1;
      o.progress?.update({
        elapsedS: agg.series.t[i]!, durationS: o.durationS, connected, bots: o.connections,
        callsPerSec: agg.series.callsPerSec[i]!, errorsPerSec: 0, rttP99: Number.NaN, saturated: agg.series.workerCpu[0]![i]! >= 0.9,
      });
    };
    const timer = setInterval(() => void sample(o.connections), o.intervalS * 1000);
    try {
      result = await new Promise<AutocannonResult>((resolve, reject) => {
        const inst = autocannon(
          { url: httpUrl, connections: o.connections, duration: o.durationS, pipelining: o.scenario.pipelining ?? 1, requests },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        inst.on('response', () => ticks.requests++);
        inst.on('tick', (t: { bytes: number }) => (ticks.bytes += t.bytes));
      });
    } finally {
      clearInterval(timer);
    }
    await sample(0);
    o.progress?.done();
  } finally {
    await server?.stop();
  }
  const summary = agg.summarize(o.connections, 20);
  summary.connectedMax = o.connections;
  summary.calls = result.requests.total;
  summary.callsPerSec = result.requests.average;
  summary.callErrors = result.errors + result.non2xx + result.timeouts;
  summary.rttMs = { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average, count: result.requests.total };
  const r: RunResult = {
    version: 1, label: o.label, scenario: o.scenario.name, target: o.target, driver: 'autocannon',
    config: {
      bots: o.connections, durationS: o.durationS, workers: 1, url: httpUrl, params: { ...o.params },
      connectRate: 0, stepMs: 0, intervalS: o.intervalS, serverStartedByHarness: Boolean(server),
    },
    startedAt: new Date(startedAt).toISOString(), endedAt: new Date().toISOString(), machine: machineInfo(),
    series: agg.series, summary, warnings: [],
    errors: [
      ...(result.non2xx ? [{ message: 'non-2xx responses', count: result.non2xx }] : []),
      ...(result.errors ? [{ message: 'socket errors', count: result.errors }] : []),
      ...(result.timeouts ? [{ message: 'timeouts', count: result.timeouts }] : []),
    ],
  };
  r.warnings = buildWarnings(r, { scrapes, scrapeErrors, metricsUrl }).filter((w) => !w.startsWith('only '));
  return r;
}
