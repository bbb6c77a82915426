// The server's /metrics: transport counters, tick phase timings (p50 / p99 / max from the world),
// calls, errors, subscription and process figures. Read at scrape time; the hot path only bumps
// plain counters.
import { MetricsRegistry, registerTransportMetrics, type Transport } from '../net/index.ts';
import type { World } from '../tick/world.ts';
import { PHASES } from '../tick/timings.ts';
import type { SubscriptionManager } from '../subscribe/index.ts';

export interface ServerCounters {
  calls: number;
  callErrors: number;
  protocolErrors: number;
  framesIn: number;
  framesOut: number;
  bytesOut: number;
  pauses: number;
  deltaBytes: number;
  deltaFrames: number;
}

export function newCounters(): ServerCounters {
  return { calls: 0, callErrors: 0, protocolErrors: 0, framesIn: 0, framesOut: 0, bytesOut: 0, pauses: 0, deltaBytes: 0, deltaFrames: 0 };
}

export function buildMetrics(world: World, transport: Transport | null, subs: SubscriptionManager, counters: ServerCounters): MetricsRegistry {
  const r = new MetricsRegistry();
  if (transport) registerTransportMetrics(r, transport);
  r.gauge({
    name: 'worldline_tick_phase_ms', help: 'Tick phase duration over the last 2048 ticks, ms', labelNames: ['phase', 'stat'],
    collect: (g) => {
      const s = world.timingStats();
      for (const p of PHASES) {
        g.with({ phase: p, stat: 'p50' }).set(s[p].p50);
        g.with({ phase: p, stat: 'p99' }).set(s[p].p99);
        g.with({ phase: p, stat: 'max' }).set(s[p].max);
      }
    },
  });
  // All-time totals as well, so Prometheus can average over any range: rate(sum) / rate(count).
  r.counter({
    name: 'worldline_tick_phase_seconds_total', help: 'Time spent in each tick phase since start, seconds', labelNames: ['phase'],
    collect: (c) => { const s = world.timingStats(); for (const p of PHASES) c.setTotal(s[p].sumMs / 1000, { phase: p }); },
  });
  r.counter({
    name: 'worldline_tick_phase_observations_total', help: 'Ticks that recorded each phase since start', labelNames: ['phase'],
    collect: (c) => { const s = world.timingStats(); for (const p of PHASES) c.setTotal(s[p].count, { phase: p }); },
  });
  r.gauge({ name: 'worldline_tick', help: 'Last completed tick', collect: (g) => g.set(world.tick) });
  r.gauge({ name: 'worldline_queued_inputs', help: 'Calls and lifecycle events waiting for the next tick', collect: (g) => g.set(world.queued) });
  const total = (name: string, help: string, key: keyof ServerCounters) =>
    r.counter({ name, help, collect: (c) => c.setTotal(counters[key]) });
  total('worldline_calls_total', 'Reducer calls received over WebSocket', 'calls');
  total('worldline_call_errors_total', 'Reducer calls that failed (rejected, rate-limited or rolled back)', 'callErrors');
  total('worldline_protocol_errors_total', 'Malformed or unexpected frames received', 'protocolErrors');
  total('worldline_backpressure_pauses_total', 'Times a client was paused because its socket backed up', 'pauses');
  total('worldline_delta_bytes_total', 'Bytes of TickUpdate frames assembled for clients', 'deltaBytes');
  total('worldline_delta_frames_total', 'TickUpdate frames assembled for clients', 'deltaFrames');
  r.gauge({
    name: 'worldline_subscriptions', help: 'Subscription layer figures', labelNames: ['what'],
    collect: (g) => {
      const s = subs.stats();
      for (const [k, v] of Object.entries(s)) g.with({ what: k }).set(v);
    },
  });
  r.gauge({
    name: 'worldline_process', help: 'Server process figures (rss bytes, cpu seconds)', labelNames: ['what'],
    collect: (g) => {
      const m = process.memoryUsage();
      const c = process.cpuUsage();
      g.with({ what: 'rss_bytes' }).set(m.rss);
      g.with({ what: 'heap_used_bytes' }).set(m.heapUsed);
      g.with({ what: 'cpu_user_seconds' }).set(c.user / 1e6);
      g.with({ what: 'cpu_system_seconds' }).set(c.system / 1e6);
    },
  });
  return r;
}
