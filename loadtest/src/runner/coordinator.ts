// Runs a bot scenario: starts the server (unless --url), forks the bot workers, samples every
// interval (worker reports, /metrics, /proc), shows progress, and returns the RunResult.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BotScenario, Params, ServerSpec } from '../scenario/scenario.ts';
import { scrapeMetrics, metricsUrlFor } from '../metrics/scrape.ts';
import { readMachineCpu, readProcStats } from '../metrics/proc-stats.ts';
import type { ServerSnapshot } from '../metrics/server-snapshot.ts';
import type { RunResult } from '../report/result.ts';
import type { Progress } from '../progress/progress.ts';
import type { FromWorker, ToWorker, WorkerReport } from './messages.ts';
import { RunAggregator } from './aggregate.ts';
import { startServer, substitute, type StartedServer } from './server-process.ts';
import { defaultWorkers, machineInfo } from './machine.ts';
import { buildWarnings } from './warnings.ts';

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

export interface BotRunOptions {
  scenarioPath: string;
  scenario: BotScenario<unknown>;
  target: string;
  driver: string;
  label: string;
  url?: string;
  server?: ServerSpec;
  bots: number;
  durationS: number;
  workers?: number;
  connectRate?: number;
  params: Params;
  intervalS: number;
  /** Working directory for the server command and the workers (the repository root). */
  cwd: string;
  progress?: Progress;
  seed?: number;
}

export class RunError extends Error {
  readonly code = 'LOADTEST_RUN';
}

export async function runBots(o: BotRunOptions): Promise<RunResult> {
  let server: StartedServer | undefined;
  if (!o.url) {
    if (!o.server) throw new RunError(`scenario ${o.scenario.name} defines no server for target "${o.target}": pass --url ws://...`);
    o.progress?.log(`starting ${o.target} server: ${o.server.command.map((c) => substitute(c, { ...o.params, port: '<port>' })).join(' ')}`);
    server = await startServer(o.server, o.params, o.cwd);
    o.progress?.log(`server up on ${server.url} (pid ${server.pid})`);
  }
  const url = o.url ?? server!.url;
  const workers = Math.min(o.workers ?? o.scenario.workers ?? defaultWorkers(o.bots), o.bots);
  const connectRate = o.connectRate ?? o.scenario.connectRate ?? 500;
  const children: ChildProcess[] = [];
  const pending: WorkerReport[] = [];
  const done = new Set<number>();
  let failure: string | undefined;
  let onDone: (() => void) | undefined;
  const startedAt = Date.now();
  const agg = new RunAggregator(startedAt, workers, machineInfo().cpus);
  const metricsUrl = metricsUrlFor(url);
  const scrapeErrors: string[] = [];
  let scrapes = 0;
  try {
    for (let w = 0; w < workers; w++) {
      const first = Math.floor((w * o.bots) / workers);
      const count = Math.floor(((w + 1) * o.bots) / workers) - first;
      const child = fork(WORKER_MAIN, [], { cwd: o.cwd, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.on('message', (m: FromWorker) => {
        if (m.type === 'report') pending.push(m);
        else if (m.type === 'failed') failure = `worker ${m.workerId} failed: ${m.message}`;
        else if (m.type === 'done') {
          done.add(m.workerId);
          if (done.size === workers) onDone?.();
        }
      });
      child.on('exit', (code) => {
        if (!done.has(w) && code !== 0 && !failure) failure = `worker ${w} exited with code ${code}`;
        if (!done.has(w)) {
          done.add(w);
          if (done.size === workers) onDone?.();
        }
      });
      const init: ToWorker = {
        type: 'init', workerId: w, scenarioPath: o.scenarioPath, driver: o.driver, url, first, count,
        totalBots: o.bots, params: o.params, connectRate: (connectRate * count) / o.bots,
        intervalMs: o.intervalS * 1000, seed: o.seed ?? 1,
      };
      child.send(init);
      children.push(child);
    }

    // Scrapes run on their own, one at a time: a server too busy to answer /metrics promptly must
    // not stretch the sampling interval. Each sample takes the newest scrape not used yet.
    let fresh: ServerSnapshot | undefined;
    let scraping = false;
    const scrape = (): void => {
      if (scraping) return;
      scraping = true;
      void scrapeMetrics(metricsUrl, 10_000).then((s) => {
        scraping = false;
        if (s instanceof Error) {
          if (scrapeErrors.length < 3) scrapeErrors.push(s.message);
        } else {
          fresh = s;
          scrapes++;
        }
      });
    };
    const sample = async (): Promise<void> => {
      const snap = fresh;
      fresh = undefined;
      scrape();
      agg.add({
        at: Date.now(),
        reports: pending.splice(0),
        server: snap,
        serverProc: server ? readProcStats(server.pid) : undefined,
        machine: readMachineCpu(),
      });
      const ser = agg.series;
      const i = ser.t.length - 1;
      const total = ser.tickPhases.total ?? ser.tickPhases.tick ?? Object.values(ser.tickPhases)[0];
      o.progress?.update({
        elapsedS: ser.t[i]!,
        durationS: o.durationS,
        connected: ser.connected[i]!,
        bots: o.bots,
        callsPerSec: ser.callsPerSec[i]!,
        errorsPerSec: ser.errorsPerSec[i]!,
        rttP99: ser.rttP99[i]!,
        tickP99: total ? total.p99[i] : undefined,
        saturated: ser.workerCpu.some((c) => (c[i] ?? 0) >= 0.9),
      });
    };

    // Sample half an interval after the workers report, so each sample holds one report per worker.
    const intervalMs = o.intervalS * 1000;
    let next = startedAt + intervalMs * 1.5;
    while (Date.now() - startedAt < o.durationS * 1000) {
      if (failure) throw new RunError(failure);
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      next += intervalMs;
      await sample();
    }
    const allDone = new Promise<void>((r) => {
      onDone = r;
      if (done.size === workers) r();
    });
    for (const c of children) if (c.connected) c.send({ type: 'stop' } satisfies ToWorker);
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 15_000).unref())]);
    agg.addFinal(pending.splice(0));
    o.progress?.done();
    if (failure) throw new RunError(failure);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
    await server?.stop();
  }
  const summary = agg.summarize(o.bots, o.scenario.tickRate ?? 20);
  const result: RunResult = {
    version: 1,
    label: o.label,
    scenario: o.scenario.name,
    target: o.target,
    driver: o.driver,
    config: {
      bots: o.bots, durationS: o.durationS, workers, url, params: { ...o.params }, connectRate,
      stepMs: o.scenario.stepMs, intervalS: o.intervalS, serverStartedByHarness: Boolean(server),
    },
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date().toISOString(),
    machine: machineInfo(),
    series: agg.series,
    summary,
    warnings: [],
    errors: agg.topErrors(),
  };
  result.warnings = buildWarnings(result, { scrapes, scrapeErrors, metricsUrl });
  return result;
}
