// One simulated player: wraps a driver connection, measures every call and connect, and exposes
// the small Bot surface scenarios program against.

import { performance } from 'node:perf_hooks';
import type { AreaSpec, BotConnection, BotDriver } from '../driver/bot-driver.ts';
import type { Bot, Params } from '../scenario/scenario.ts';
import type { WorkerCounters } from './worker-counters.ts';

/** mulberry32: tiny, fast, good enough to spread bots' choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface BotEnv {
  driver: BotDriver;
  url: string;
  totalBots: number;
  params: Params;
  maxInFlight: number;
  counters: WorkerCounters;
  startedAt: number;
  seed: number;
}

export class SimBot implements Bot {
  readonly random: () => number;
  conn: BotConnection | undefined;
  inFlight = 0;
  /** Traffic already counted in a report, per connection (reset on reconnect). */
  private countedIn = 0;
  private countedOut = 0;
  private countedFrames = 0;
  private closing = false;
  dropped = false;
  stopping = false;

  constructor(
    readonly index: number,
    private readonly env: BotEnv,
  ) {
    this.random = seededRandom(env.seed ^ Math.imul(index + 1, 0x9e3779b1));
  }

  get bots(): number {
    return this.env.totalBots;
  }
  get params(): Params {
    return this.env.params;
  }
  get identity(): string {
    return this.conn?.identity ?? '';
  }
  get active(): boolean {
    return !this.stopping && !this.dropped && this.conn !== undefined && !this.closing;
  }
  elapsedMs(): number {
    return nowMs() - this.env.startedAt;
  }

  /** Connects (or reconnects with the previous token); records time and outcome. */
  async connect(): Promise<boolean> {
    const c = this.env.counters;
    const t0 = nowMs();
    try {
      const conn = await this.env.driver.connect({
        url: this.env.url,
        index: this.index,
        token: this.conn?.token,
        params: this.env.params,
      });
      c.connectMs.record(nowMs() - t0);
      c.connectOk++;
      c.connected++;
      this.conn = conn;
      this.closing = false;
      this.dropped = false;
      this.countedIn = this.countedOut = this.countedFrames = 0;
      conn.onApplied((serverTimeMs) => {
        if (serverTimeMs === serverTimeMs) c.updateLatency.record(Math.max(0, nowMs() - serverTimeMs));
      });
      // After stop begins, closing sockets and rejected in-flight calls are the harness's doing.
      conn.onError?.((message) => {
        if (!this.stopping) c.error(`client: ${message}`);
      });
      conn.onDropped((reason) => {
        if (this.closing || this.conn !== conn) return;
        this.collectTraffic();
        this.dropped = true;
        c.drops++;
        c.connected--;
        c.error(`dropped: ${reason}`);
      });
      return true;
    } catch (e) {
      c.connectFail++;
      c.error(`connect: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  async call(reducer: string, args: unknown): Promise<boolean> {
    const conn = this.conn;
    const c = this.env.counters;
    if (!conn || this.dropped) {
      c.skipped++;
      return false;
    }
    this.inFlight++;
    c.calls++;
    const t0 = nowMs();
    try {
      await conn.call(reducer, args);
      c.rtt.record(nowMs() - t0);
      return true;
    } catch (e) {
      if (this.stopping) return false;
      c.callErrors++;
      c.error(`${reducer}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    } finally {
      this.inFlight--;
    }
  }

  send(reducer: string, args: unknown): void {
    if (this.inFlight >= this.env.maxInFlight) {
      this.env.counters.skipped++;
      return;
    }
    void this.call(reducer, args);
  }

  async setArea(area: AreaSpec): Promise<void> {
    if (!this.conn?.setArea) throw new Error(`driver ${this.env.driver.name} has no setArea`);
    await this.conn.setArea(area);
  }

  async subscribe(query: unknown): Promise<void> {
    if (!this.conn?.subscribe) throw new Error(`driver ${this.env.driver.name} has no subscribe`);
    await this.conn.subscribe(query);
  }

  setReading(on: boolean): void {
    this.conn?.setReading?.(on);
  }

  async reconnect(): Promise<boolean> {
    await this.close();
    return this.connect();
  }

  /** Adds this connection's not-yet-reported traffic to the worker's counters. */
  collectTraffic(): void {
    const conn = this.conn;
    if (!conn) return;
    const t = conn.traffic();
    const c = this.env.counters;
    c.bytesIn += t.bytesIn - this.countedIn;
    c.bytesOut += t.bytesOut - this.countedOut;
    c.framesIn += t.framesIn - this.countedFrames;
    this.countedIn = t.bytesIn;
    this.countedOut = t.bytesOut;
    this.countedFrames = t.framesIn;
  }

  async close(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.closing) return;
    this.collectTraffic();
    this.closing = true;
    if (!this.dropped) this.env.counters.connected--;
    try {
      await conn.close();
    } catch {
      // Closing a connection the server already dropped is not an error worth reporting.
    }
  }
}
