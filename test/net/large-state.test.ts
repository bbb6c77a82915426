// A client whose state and deltas are far larger than the backpressure threshold (a whole-table
// subscription of 3,000 rows that all change every tick) but that reads everything promptly: it gets
// its rows once and then plain deltas, never a pause or a resync, and ends with exactly the server's
// rows. Both transports. (Over loopback the kernel's buffers absorb the bursts; how a resync that
// overshoots the threshold is paced on a slow link is checked in engine/src/server/session-pacing.test.ts.)
import { describe, it, expect } from 'vitest';
import { churnGame } from './support/churn-game.ts';
import { startServer, TRANSPORTS } from './support/test-server.ts';
import { exactProblems, serverRows } from './support/oracle.ts';

const PARTICLES = 3000;

describe.each(TRANSPORTS)('a client with a large state over %s', (transport) => {
  it('receives it once and then deltas, without being paused or resynced', async () => {
    const ts = await startServer(churnGame({ particles: PARTICLES }), transport, { backpressureBytes: 16 * 1024 });
    try {
      const { world, subscriptions: subs, counters } = ts.server;
      const c = await ts.connect();
      await c.subscribe('particle');
      await ts.takeOverTicks();
      for (let i = 0; i < 20; i++) { await ts.step(); await c.ping(); }
      expect(counters.pauses).toBe(0);
      expect(c.resets).toBe(0);
      expect(subs.isPaused(c.connectionId)).toBe(false);
      const rows = serverRows(world, 'particle');
      expect(rows.length).toBe(PARTICLES);
      expect(exactProblems('client', c.state!, 'particle', rows)).toEqual([]);
      expect(c.lastTick).toBe(world.tick);
      expect(c.failures).toEqual([]);
    } finally {
      await ts.close();
    }
  });
});
