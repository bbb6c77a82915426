// Runs one worker's share of the bots: connects them at the scenario's rate, steps each on its own
// timer, and produces a WorkerReport every interval. Independent of the process it runs in, so a
// test can drive it in-process.

import { performance } from 'node:perf_hooks';
import type { BotDriver } from '../driver/bot-driver.ts';
import type { BotScenario, Params } from '../scenario/scenario.ts';
import type { WorkerReport } from './messages.ts';
import { SimBot, nowMs } from './bot.ts';
import { WorkerCounters } from './worker-counters.ts';

export interface BotRunnerOptions {
  workerId: number;
  scenario: BotScenario<unknown>;
  driver: BotDriver;
  url: string;
  first: number;
  count: number;
  totalBots: number;
  params: Params;
  connectRate: number;
  seed: number;
}

export class BotRunner {
  readonly counters = new WorkerCounters();
  private readonly bots: SimBot[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private lastCpu = process.cpuUsage();
  private lastElu = performance.eventLoopUtilization();
  private lastReportAt = nowMs();
  private readonly started = nowMs();

  constructor(private readonly o: BotRunnerOptions) {
    const env = {
      driver: o.driver,
      url: o.url,
      totalBots: o.totalBots,
      params: o.params,
      maxInFlight: o.scenario.maxInFlight ?? 8,
      counters: this.counters,
      startedAt: this.started,
      seed: o.seed,
    };
    for (let i = 0; i < o.count; i++) this.bots.push(new SimBot(o.first + i, env));
  }

  /** Starts connecting bots at the configured rate; returns once all connect attempts are scheduled. */
  start(): void {
    const perSlice = Math.max(1, Math.round(this.o.connectRate / 100));
    const sliceMs = (perSlice * 1000) / this.o.connectRate;
    let next = 0;
    const launch = (): void => {
      if (this.stopped) return;
      for (let k = 0; k < perSlice && next < this.bots.length; k++) void this.bringUp(this.bots[next++]!);
      if (next < this.bots.length) this.later(launch, sliceMs);
    };
    launch();
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async bringUp(bot: SimBot): Promise<void> {
    if (!(await bot.connect()) || this.stopped) return;
    const s = this.o.scenario;
    let state: unknown;
    try {
      state = s.setup ? await s.setup(bot) : undefined;
    } catch (e) {
      this.counters.error(`setup: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this.stopped) return;
    let busy = false;
    const step = (): void => {
      if (busy || bot.dropped || this.stopped) return;
      try {
        const r = s.step(bot, state);
        if (r instanceof Promise) {
          busy = true;
          r.catch((e: unknown) => this.counters.error(`step: ${e instanceof Error ? e.message : String(e)}`)).finally(
            () => (busy = false),
          );
        }
      } catch (e) {
        this.counters.error(`step: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    // Spread the first steps over one period so bots do not act in lockstep.
    this.later(() => {
      if (this.stopped) return;
      const t = setInterval(step, s.stepMs);
      this.timers.add(t);
      step();
    }, bot.random() * s.stepMs);
  }

  /** Collects the interval's figures and resets them. */
  report(): WorkerReport {
    const c = this.counters;
    for (const b of this.bots) {
      if (!b.conn) continue;
      b.collectTraffic();
      if (!b.dropped && b.conn.visibleRows) c.areaRows.record(b.conn.visibleRows());
    }
    const at = nowMs();
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization(this.lastElu);
    this.lastElu = performance.eventLoopUtilization();
    const r: WorkerReport = {
      type: 'report',
      workerId: this.o.workerId,
      at,
      intervalMs: at - this.lastReportAt,
      connected: c.connected,
      connectOk: c.connectOk,
      connectFail: c.connectFail,
      drops: c.drops,
      calls: c.calls,
      callErrors: c.callErrors,
      skipped: c.skipped,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      framesIn: c.framesIn,
      rtt: c.rtt.toJSON(),
      updateLatency: c.updateLatency.toJSON(),
      connectMs: c.connectMs.toJSON(),
      areaRows: c.areaRows.toJSON(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      elu: elu.utilization,
      errors: c.errors,
    };
    this.lastReportAt = at;
    c.resetInterval();
    return r;
  }

  /** Stops stepping and closes every connection (each close bounded by timeoutMs). */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    for (const b of this.bots) b.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(
      this.bots.map((b) =>
        Promise.race([b.close(), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]),
      ),
    );
  }
}
