import { describe, expect, it } from 'vitest';
import type { BotConnection, BotDriver } from '../driver/bot-driver.ts';
import { defineScenario } from '../scenario/scenario.ts';
import { BotRunner } from './bot-runner.ts';

/** An in-memory driver: calls answer on the next macrotask, "boom" fails, every call is an update. */
function fakeDriver(opts: { failConnectIndex?: number } = {}): BotDriver & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'fake',
    calls,
    async connect(o) {
      if (o.index === opts.failConnectIndex) throw new Error('refused');
      const applied: Array<(t: number) => void> = [];
      const traffic = { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0 };
      const conn: BotConnection = {
        identity: `id${o.index}`,
        async call(reducer) {
          calls.push(reducer);
          traffic.bytesOut += 10;
          await new Promise((r) => setImmediate(r));
          traffic.bytesIn += 100;
          for (const l of applied) l(performance.timeOrigin + performance.now() - 5);
          if (reducer === 'boom') throw new Error('boom failed for bot 7');
        },
        traffic: () => traffic,
        visibleRows: () => 42,
        onApplied: (l) => void applied.push(l),
        onDropped: () => {},
        async close() {},
      };
      return conn;
    },
  };
}

describe('BotRunner', () => {
  it('connects every bot, runs setup and steps, and reports measured calls, bytes and areas', async () => {
    const driver = fakeDriver({ failConnectIndex: 2 });
    let stepped = 0;
    let resolveSteps!: () => void;
    const enoughSteps = new Promise<void>((r) => (resolveSteps = r));
    const scenario = defineScenario({
      name: 'test',
      description: '',
      stepMs: 5,
      async setup(bot) {
        await bot.call('join', {});
        return { n: 0 };
      },
      async step(bot, s) {
        s.n++;
        await bot.call(s.n === 1 ? 'boom' : 'move', { i: bot.index });
        if (++stepped === 20) resolveSteps();
      },
    });
    const runner = new BotRunner({ workerId: 3, scenario, driver, url: 'ws://x', first: 0, count: 4, totalBots: 4, params: {}, connectRate: 10_000, seed: 1 });
    runner.start();
    await enoughSteps;
    await runner.stop();
    const r = runner.report();
    expect(r.workerId).toBe(3);
    expect(r.connectOk).toBe(3);
    expect(r.connectFail).toBe(1);
    expect(r.connected).toBe(0); // all closed by stop()
    expect(r.calls).toBe(driver.calls.length);
    expect(r.callErrors).toBe(3); // the first step of each connected bot
    expect(r.errors).toEqual({ 'connect: refused': 1, 'boom: boom failed for bot N': 3 });
    // A call still in flight when the run stopped (at most one per bot) has no round trip yet.
    const answered = r.rtt.count + r.callErrors;
    expect(answered).toBeLessThanOrEqual(r.calls);
    expect(answered).toBeGreaterThanOrEqual(r.calls - 3);
    expect(r.bytesOut).toBe(10 * r.calls);
    expect(r.bytesIn).toBe(100 * answered);
    expect(r.updateLatency.count).toBe(answered);
    expect(r.updateLatency.min).toBeGreaterThanOrEqual(4);
    expect(r.cpuSeconds).toBeGreaterThan(0);
  });

  it('samples area sizes of connected bots and skips send() past maxInFlight', async () => {
    const driver = fakeDriver();
    let ready!: () => void;
    const done = new Promise<void>((r) => (ready = r));
    const scenario = defineScenario({
      name: 'test',
      description: '',
      stepMs: 60_000,
      maxInFlight: 2,
      setup(bot) {
        for (let k = 0; k < 5; k++) bot.send('move', {});
        if (bot.index === 1) ready();
      },
      step() {},
    });
    const runner = new BotRunner({ workerId: 0, scenario, driver, url: 'ws://x', first: 0, count: 2, totalBots: 2, params: {}, connectRate: 10_000, seed: 1 });
    runner.start();
    await done;
    const r = runner.report();
    expect(r.connected).toBe(2);
    expect(r.skipped).toBe(6); // 3 of 5 per bot
    expect(r.areaRows.count).toBe(2);
    expect(r.areaRows.max).toBe(42);
    await runner.stop();
  });
});
