// Folds worker reports and server scrapes into per-interval series and a steady-state summary.
// Pure: the coordinator feeds it, tests feed it synthetic intervals.

import { LogHistogram, type HistogramData } from '../stats/log-histogram.ts';
import { percentile } from '../stats/percentile.ts';
import type { ServerSnapshot } from '../metrics/server-snapshot.ts';
import type { MachineCpuSample, ProcSample } from '../metrics/proc-stats.ts';
import type { WorkerReport } from './messages.ts';
import type { GeneratorWorker, PhaseSeries, Quantiles, RunSeries, RunSummary } from '../report/result.ts';

export interface IntervalInput {
  /** ms since epoch at the end of the interval. */
  at: number;
  reports: readonly WorkerReport[];
  server?: ServerSnapshot;
  serverProc?: ProcSample;
  machine?: MachineCpuSample;
}

/** A worker is saturated when it keeps one core (or its event loop) this busy. */
export const SATURATED_CPU = 0.9;
export const SATURATED_ELU = 0.95;

interface Kept {
  rtt: HistogramData[];
  upd: HistogramData[];
  conn: HistogramData[];
  area: HistogramData[];
  calls: number;
  errors: number;
  skipped: number;
  connectOk: number;
  connectFail: number;
  drops: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
}

const nan = Number.NaN;
const round = (v: number, digits = 3): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

function quantiles(h: LogHistogram): Quantiles {
  return { p50: round(h.quantile(0.5)), p99: round(h.quantile(0.99)), max: round(h.count ? h.max : nan), mean: round(h.mean()), count: h.count };
}

function merged(list: readonly HistogramData[]): LogHistogram {
  const h = new LogHistogram();
  for (const d of list) h.merge(d);
  return h;
}

/** Seconds between two scrapes by their own timestamps (falls back to the interval). */
function scrapeDt(cur: ServerSnapshot, prev: ServerSnapshot, fallback: number): number {
  const d = (cur.at - prev.at) / 1000;
  return d > 0 ? d : fallback;
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite);
  return v.length ? percentile(v, 50) : nan;
}

export class RunAggregator {
  readonly series: RunSeries = {
    t: [], connected: [], callsPerSec: [], errorsPerSec: [], rttP50: [], rttP99: [], updateP50: [], updateP99: [],
    bytesInPerClientPerSec: [], bytesOutPerClientPerSec: [], areaRowsP50: [], serverCpu: [], serverRssMb: [],
    machineCpu: [], otherCpu: [], tickPhases: {}, workerCpu: [], workerElu: [],
  };
  private readonly connectedByWorker: number[] = [];
  private readonly perInterval: Kept[] = [];
  private prevAt: number;
  private prevServer?: ServerSnapshot;
  private prevProc?: ProcSample;
  private prevMachine?: MachineCpuSample;
  private readonly errors = new Map<string, number>();
  private tickCounterRate: number[] = [];

  constructor(
    private readonly startedAt: number,
    private readonly workers: number,
    /** Cores of the machine, to turn its busy fraction into cores. */
    private readonly cpus = 2,
  ) {
    this.prevAt = startedAt;
    for (let w = 0; w < workers; w++) {
      this.connectedByWorker.push(0);
      this.series.workerCpu.push([]);
      this.series.workerElu.push([]);
    }
  }

  add(input: IntervalInput): void {
    const s = this.series;
    const dt = Math.max(1e-3, (input.at - this.prevAt) / 1000);
    this.prevAt = input.at;
    const k: Kept = { rtt: [], upd: [], conn: [], area: [], calls: 0, errors: 0, skipped: 0, connectOk: 0, connectFail: 0, drops: 0, bytesIn: 0, bytesOut: 0, framesIn: 0 };
    // Per worker: CPU seconds over reported seconds (a slow worker may land 0 or 2 reports here).
    const cpuS = new Array<number>(this.workers).fill(0);
    const wallS = new Array<number>(this.workers).fill(0);
    const elu = new Array<number>(this.workers).fill(nan);
    for (const r of input.reports) {
      this.connectedByWorker[r.workerId] = r.connected;
      k.rtt.push(r.rtt);
      k.upd.push(r.updateLatency);
      k.conn.push(r.connectMs);
      k.area.push(r.areaRows);
      k.calls += r.calls;
      k.errors += r.callErrors;
      k.skipped += r.skipped;
      k.connectOk += r.connectOk;
      k.connectFail += r.connectFail;
      k.drops += r.drops;
      k.bytesIn += r.bytesIn;
      k.bytesOut += r.bytesOut;
      k.framesIn += r.framesIn;
      if (r.workerId < this.workers) {
        cpuS[r.workerId]! += r.cpuSeconds;
        wallS[r.workerId]! += r.intervalMs / 1000;
        elu[r.workerId] = Number.isNaN(elu[r.workerId]!) ? r.elu : Math.max(elu[r.workerId]!, r.elu);
      }
      for (const [m, c] of Object.entries(r.errors)) this.errors.set(m, (this.errors.get(m) ?? 0) + c);
    }
    this.perInterval.push(k);
    const connected = this.connectedByWorker.reduce((a, b) => a + b, 0);
    const rtt = merged(k.rtt);
    const upd = merged(k.upd);
    const area = merged(k.area);
    s.t.push(round((input.at - this.startedAt) / 1000, 2));
    s.connected.push(connected);
    s.callsPerSec.push(round(k.calls / dt, 1));
    s.errorsPerSec.push(round(k.errors / dt, 1));
    s.rttP50.push(round(rtt.quantile(0.5)));
    s.rttP99.push(round(rtt.quantile(0.99)));
    s.updateP50.push(round(upd.quantile(0.5)));
    s.updateP99.push(round(upd.quantile(0.99)));
    s.bytesInPerClientPerSec.push(connected ? round(k.bytesIn / connected / dt, 1) : nan);
    s.bytesOutPerClientPerSec.push(connected ? round(k.bytesOut / connected / dt, 1) : nan);
    s.areaRowsP50.push(round(area.quantile(0.5), 1));
    for (let w = 0; w < this.workers; w++) {
      s.workerCpu[w]!.push(round(wallS[w]! > 0 ? cpuS[w]! / wallS[w]! : nan));
      s.workerElu[w]!.push(round(elu[w]!));
    }
    this.addServer(input, dt);
  }

  /** The reports workers send after stop (connections closing): only their error messages count;
   *  their traffic and rates describe the shutdown, not the load. */
  addFinal(reports: readonly WorkerReport[]): void {
    for (const r of reports) {
      for (const [m, c] of Object.entries(r.errors)) this.errors.set(m, (this.errors.get(m) ?? 0) + c);
    }
  }

  private addServer(input: IntervalInput, dt: number): void {
    const s = this.series;
    // CPU: /proc of a server we started is exact; otherwise the server's own process metrics.
    let serverCpu = nan;
    let rss = nan;
    if (input.serverProc) {
      if (this.prevProc) serverCpu = (input.serverProc.cpuSeconds - this.prevProc.cpuSeconds) / dt;
      rss = input.serverProc.rssBytes / 2 ** 20;
      this.prevProc = input.serverProc;
    } else if (input.server?.cpuSeconds !== undefined) {
      // Scrapes may skip intervals when the server is slow to answer: rate over the scrapes' own times.
      if (this.prevServer?.cpuSeconds !== undefined) serverCpu = (input.server.cpuSeconds - this.prevServer.cpuSeconds) / scrapeDt(input.server, this.prevServer, dt);
      if (input.server.rssBytes !== undefined) rss = input.server.rssBytes / 2 ** 20;
    }
    s.serverCpu.push(round(serverCpu));
    s.serverRssMb.push(round(rss, 1));
    let machine = nan;
    if (input.machine && this.prevMachine) {
      const total = input.machine.total - this.prevMachine.total;
      machine = total > 0 ? (input.machine.busy - this.prevMachine.busy) / total : nan;
    }
    if (input.machine) this.prevMachine = input.machine;
    s.machineCpu.push(round(machine));
    // What the rest of the machine used: other processes (and this coordinator) compete for cores.
    const known = (Number.isFinite(serverCpu) ? serverCpu : 0) + s.workerCpu.reduce((a, w) => a + (Number.isFinite(w.at(-1)!) ? w.at(-1)! : 0), 0);
    s.otherCpu.push(round(Number.isFinite(machine) ? Math.max(0, machine * this.cpus - known) : nan));

    const n = s.t.length;
    const phases = input.server?.tickPhases ?? {};
    for (const name of Object.keys(phases)) {
      if (!s.tickPhases[name]) {
        const fill = (): number[] => new Array<number>(n - 1).fill(nan);
        s.tickPhases[name] = { p50: fill(), p99: fill(), max: fill(), mean: fill() };
      }
    }
    for (const [name, ps] of Object.entries(s.tickPhases) as Array<[string, PhaseSeries]>) {
      const cur = phases[name];
      const prev = this.prevServer?.tickPhases[name];
      ps.p50.push(round(cur?.p50 ?? nan));
      ps.p99.push(round(cur?.p99 ?? nan));
      ps.max.push(round(cur?.max ?? nan));
      const dc = cur && prev ? cur.count - prev.count : nan;
      ps.mean.push(round(cur && prev && dc > 0 ? (cur.sumMs - prev.sumMs) / dc : nan));
    }
    if (input.server?.tick !== undefined && this.prevServer?.tick !== undefined) {
      this.tickCounterRate.push((input.server.tick - this.prevServer.tick) / scrapeDt(input.server, this.prevServer, dt));
    }
    if (input.server) this.prevServer = input.server;
  }

  /** Index of the first interval of the steady window: every bot that will connect is in. */
  steadyStart(): number {
    const c = this.series.connected;
    const max = Math.max(0, ...c);
    const i = c.findIndex((v) => v >= 0.95 * max && v > 0);
    return i < 0 ? 0 : i;
  }

  summarize(bots: number, tickRateDefault: number): RunSummary {
    const s = this.series;
    const from = this.steadyStart();
    const to = s.t.length;
    const steady = this.perInterval.slice(from, to);
    const span = (a: number[]): number[] => a.slice(from, to);
    const steadyS = to > from ? s.t[to - 1]! - (from > 0 ? s.t[from - 1]! : 0) : 0;
    const sum = (f: (k: Kept) => number, list = this.perInterval): number => list.reduce((a, k) => a + f(k), 0);
    const meanOf = (a: number[]): number => {
      const v = a.filter(Number.isFinite);
      return v.length ? v.reduce((x, y) => x + y, 0) / v.length : nan;
    };
    const connectOk = sum((k) => k.connectOk);
    const connectFail = sum((k) => k.connectFail);
    const connectedMean = meanOf(span(s.connected));
    const bytesIn = sum((k) => k.bytesIn, steady);
    const bytesOut = sum((k) => k.bytesOut, steady);
    const perClientPerSec = (b: number): number => (connectedMean > 0 && steadyS > 0 ? b / connectedMean / steadyS : nan);
    const measuredTickRate = median(this.tickCounterRate);
    const tickRate = Number.isFinite(measuredTickRate) && measuredTickRate > 0 ? round(measuredTickRate, 1) : tickRateDefault;
    const tickPhases: RunSummary['tickPhases'] = {};
    let slowest: string | undefined;
    for (const [name, ps] of Object.entries(s.tickPhases)) {
      const p99s = span(ps.p99).filter(Number.isFinite);
      tickPhases[name] = {
        p50: round(median(span(ps.p50))),
        p99: round(median(p99s)),
        p99Worst: round(p99s.length ? Math.max(...p99s) : nan),
        max: round(Math.max(...span(ps.max).filter(Number.isFinite), Number.NEGATIVE_INFINITY)),
        mean: round(meanOf(span(ps.mean))),
      };
      if (tickPhases[name]!.max === Number.NEGATIVE_INFINITY) tickPhases[name]!.max = nan;
      if (!/^(total|tick|all)$/.test(name) && Number.isFinite(tickPhases[name]!.p99)) {
        if (!slowest || tickPhases[name]!.p99 > tickPhases[slowest]!.p99) slowest = name;
      }
    }
    const serverCpuCores = meanOf(span(s.serverCpu));
    const workers: GeneratorWorker[] = s.workerCpu.map((cpu, w) => {
      const c = span(cpu).filter(Number.isFinite);
      const e = span(s.workerElu[w]!).filter(Number.isFinite);
      const busy = c.filter((v) => v >= SATURATED_CPU).length + 0;
      const loop = e.filter((v) => v >= SATURATED_ELU).length;
      return {
        cpuMean: round(meanOf(c)),
        cpuMax: round(c.length ? Math.max(...c) : nan),
        eluMean: round(meanOf(e)),
        // Saturated when a fifth or more of the steady intervals ran the worker flat out.
        saturated: c.length > 0 && Math.max(busy, loop) >= Math.max(1, c.length / 5),
      };
    });
    return {
      bots,
      steadyS: round(steadyS, 1),
      connectedMax: Math.max(0, ...s.connected),
      connectAttempts: connectOk + connectFail,
      connectSuccessRate: connectOk + connectFail > 0 ? round(connectOk / (connectOk + connectFail), 4) : nan,
      connectMs: quantiles(merged(this.perInterval.flatMap((k) => k.conn))),
      drops: sum((k) => k.drops),
      calls: sum((k) => k.calls, steady),
      callsPerSec: steadyS > 0 ? round(sum((k) => k.calls, steady) / steadyS, 1) : nan,
      callErrors: sum((k) => k.errors),
      skipped: sum((k) => k.skipped),
      rttMs: quantiles(merged(steady.flatMap((k) => k.rtt))),
      updateLatencyMs: quantiles(merged(steady.flatMap((k) => k.upd))),
      bytesInPerClientPerSec: round(perClientPerSec(bytesIn), 1),
      bytesOutPerClientPerSec: round(perClientPerSec(bytesOut), 1),
      bytesInPerClientPerTick: round(perClientPerSec(bytesIn) / tickRate, 1),
      framesInPerClientPerSec: round(perClientPerSec(sum((k) => k.framesIn, steady)), 2),
      bytesInPerFrame: round(bytesIn / sum((k) => k.framesIn, steady), 1),
      tickRate,
      areaRows: quantiles(merged(steady.flatMap((k) => k.area))),
      tickPhases,
      slowestPhase: slowest,
      serverCpuCores: round(serverCpuCores),
      serverCpuMsPerClientPerSec: connectedMean > 0 ? round((serverCpuCores * 1000) / connectedMean, 4) : nan,
      serverRssMbMax: round(s.serverRssMb.some(Number.isFinite) ? Math.max(...s.serverRssMb.filter(Number.isFinite)) : nan, 1),
      machineCpuMean: round(meanOf(span(s.machineCpu))),
      otherCpuCores: round(meanOf(span(s.otherCpu))),
      generator: { workers, saturated: workers.some((w) => w.saturated) },
    };
  }

  topErrors(limit = 20): Array<{ message: string; count: number }> {
    return [...this.errors.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([message, count]) => ({ message, count }));
  }
}
