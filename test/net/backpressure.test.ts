// A client that stops reading: once its socket backs up the server stops computing and sending its
// deltas (its view state is freed, so memory stays bounded however long it stalls); when it reads
// again it gets a reset TickUpdate and ends with exactly the server's rows. Both transports.
import { describe, it, expect } from 'vitest';
import { churnGame } from './support/churn-game.ts';
import { startServer, TRANSPORTS } from './support/test-server.ts';
import { exactProblems, serverRows } from './support/oracle.ts';

const PARTICLES = 400;
/** Ticks allowed for the kernel's socket buffers (several MB on loopback) to fill up: a guard. */
const MAX_STEPS = 2_000;

describe.each(TRANSPORTS)('a slow client over %s', (transport) => {
  it('is paused while backed up and resyncs to exactly the server state when it drains', async () => {
    const ts = await startServer(churnGame({ particles: PARTICLES }), transport, { backpressureBytes: 64 * 1024 });
    try {
      const { world, subscriptions: subs, counters } = ts.server;
      const slow = await ts.connect();
      const steady = await ts.connect();
      await slow.subscribe('particle');
      await steady.subscribe('particle');
      await ts.takeOverTicks();
      await ts.step();
      await Promise.all([slow.ping(), steady.ping()]);
      expect(slow.state!.table('particle')!.size).toBe(PARTICLES);

      // The slow client stops reading; the steady one reads everything after every tick (the ping).
      slow.pauseReading();
      let steps = 0;
      while (!subs.isPaused(slow.connectionId)) {
        await ts.step();
        await steady.ping();
        if (++steps > MAX_STEPS) throw new Error(`the server never paused the slow client in ${MAX_STEPS} ticks`);
      }
      expect(counters.pauses).toBe(1);
      expect(subs.isPaused(steady.connectionId)).toBe(false);

      // While paused the world keeps changing: only the steady client gets deltas, and the slow
      // client's view state is gone, so nothing accumulates for it however long it stalls.
      const frames0 = counters.deltaFrames, bytes0 = counters.deltaBytes;
      for (let i = 0; i < 30; i++) { await ts.step(); await steady.ping(); }
      expect(counters.deltaFrames - frames0).toBe(30);
      expect(steady.tickUpdateBytes.slice(-30).reduce((a, b) => a + b, 0)).toBe(counters.deltaBytes - bytes0);
      expect(subs.stats()).toMatchObject({ clients: 2, paused: 1, views: 1, heldRows: PARTICLES });
      expect(slow.closeInfo).toBeNull();

      slow.resumeReading();
      const resetsBefore = slow.resets;
      steps = 0;
      while (slow.resets === resetsBefore) {
        await ts.step();
        await slow.ping();
        if (++steps > 200) throw new Error('no reset TickUpdate within 200 ticks of resuming');
      }
      expect(subs.isPaused(slow.connectionId)).toBe(false);

      await ts.step(3);
      await Promise.all([slow.ping(), steady.ping()]);
      const rows = serverRows(world, 'particle');
      expect(exactProblems('slow', slow.state!, 'particle', rows)).toEqual([]);
      expect(exactProblems('steady', steady.state!, 'particle', rows)).toEqual([]);
      expect(slow.lastTick).toBe(world.tick);
      expect(steady.resets).toBe(0);
      expect([...slow.failures, ...steady.failures]).toEqual([]);
      expect(subs.stats()).toMatchObject({ paused: 0, views: 2, heldRows: 2 * PARTICLES });
      expect(ts.log.errors).toEqual([]);
    } finally {
      await ts.close();
    }
  });
});
