// Per-phase timings of the Colyseus room over a sliding window, exposed in the same Prometheus
// shape as Worldline's /metrics (a summary with phase + quantile labels and a max gauge), so the
// harness reads both servers with one parser.

import { percentileSorted } from '../../src/stats/percentile.ts';

const WINDOW = 200; // ticks: 10 s at 20 Hz

class PhaseWindow {
  private readonly values = new Float64Array(WINDOW);
  private n = 0;
  sum = 0;
  count = 0;
  record(ms: number): void {
    this.values[this.n++ % WINDOW] = ms;
    this.sum += ms;
    this.count++;
  }
  stats(): { p50: number; p99: number; max: number } {
    const v = this.values.slice(0, Math.min(this.n, WINDOW)).sort();
    return { p50: percentileSorted(v, 50), p99: percentileSorted(v, 99), max: v.length ? v[v.length - 1]! : Number.NaN };
  }
}

export class TickTimings {
  private readonly phases = new Map<string, PhaseWindow>();
  tick = 0;

  record(phase: string, ms: number): void {
    let w = this.phases.get(phase);
    if (!w) this.phases.set(phase, (w = new PhaseWindow()));
    w.record(ms);
  }

  prometheus(extra: Record<string, number>): string {
    const out: string[] = [
      '# HELP colyseus_tick_phase_ms Time per tick phase over the last 200 ticks.',
      '# TYPE colyseus_tick_phase_ms summary',
    ];
    const maxes: string[] = ['# TYPE colyseus_tick_phase_ms_max gauge'];
    for (const [phase, w] of this.phases) {
      const s = w.stats();
      const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : 'NaN');
      out.push(`colyseus_tick_phase_ms{phase="${phase}",quantile="0.5"} ${f(s.p50)}`);
      out.push(`colyseus_tick_phase_ms{phase="${phase}",quantile="0.99"} ${f(s.p99)}`);
      out.push(`colyseus_tick_phase_ms_sum{phase="${phase}"} ${w.sum.toFixed(3)}`);
      out.push(`colyseus_tick_phase_ms_count{phase="${phase}"} ${w.count}`);
      maxes.push(`colyseus_tick_phase_ms_max{phase="${phase}"} ${f(s.max)}`);
    }
    const cpu = process.cpuUsage();
    const lines = [
      ...out,
      ...maxes,
      '# TYPE colyseus_tick_number counter',
      `colyseus_tick_number ${this.tick}`,
      '# TYPE process_cpu_seconds_total counter',
      `process_cpu_seconds_total ${((cpu.user + cpu.system) / 1e6).toFixed(3)}`,
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    ];
    for (const [k, v] of Object.entries(extra)) lines.push(`# TYPE ${k} gauge`, `${k} ${v}`);
    return `${lines.join('\n')}\n`;
  }
}
