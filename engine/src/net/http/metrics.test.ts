// The metrics registry renders valid Prometheus text and computes summary quantiles over a window.

import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters and gauges with HELP, TYPE and labels', () => {
    const r = new MetricsRegistry();
    const calls = r.counter({ name: 'worldline_calls_total', help: 'Reducer calls', labelNames: ['reducer', 'outcome'] });
    const move = calls.with({ reducer: 'move', outcome: 'ok' });
    move.inc();
    move.inc(2);
    calls.inc(1, { reducer: 'say "hi"\n', outcome: 'error' });
    r.gauge({ name: 'worldline_connections', help: 'Open connections', collect: (g) => g.set(7) });
    expect(r.render()).toBe(
      [
        '# HELP worldline_calls_total Reducer calls',
        '# TYPE worldline_calls_total counter',
        'worldline_calls_total{reducer="move",outcome="ok"} 3',
        'worldline_calls_total{reducer="say \\"hi\\"\\n",outcome="error"} 1',
        '# HELP worldline_connections Open connections',
        '# TYPE worldline_connections gauge',
        'worldline_connections 7',
        '',
      ].join('\n'),
    );
    expect(calls.get({ reducer: 'move', outcome: 'ok' })).toBe(3);
  });

  it('returns the same child for the same labels', () => {
    const r = new MetricsRegistry();
    const c = r.counter({ name: 'c', help: 'h', labelNames: ['a'] });
    expect(c.with({ a: 1 })).toBe(c.with({ a: '1' }));
  });

  it('computes summary quantiles over the most recent window and totals over all time', () => {
    const r = new MetricsRegistry();
    const s = r.summary({ name: 'tick_ms', help: 'Tick time', quantiles: [0.5, 0.99], window: 100 });
    for (let i = 1; i <= 1000; i++) s.observe(i);
    const child = s.with({});
    expect(child.count).toBe(1000);
    expect(child.sum).toBe(500500);
    // Only the last 100 observations (901..1000) count for quantiles.
    expect(child.quantile(0.5)).toBe(950);
    expect(child.quantile(0.99)).toBe(999);
    expect(child.quantile(1)).toBe(1000);
    expect(child.quantile(0)).toBe(901);
    const text = r.render();
    expect(text).toContain('# TYPE tick_ms summary');
    expect(text).toContain('tick_ms{quantile="0.5"} 950');
    expect(text).toContain('tick_ms_sum 500500');
    expect(text).toContain('tick_ms_count 1000');
  });

  it('renders labelled summaries with the quantile label last, and NaN before any observation', () => {
    const r = new MetricsRegistry();
    const s = r.summary({ name: 'phase_ms', help: 'Phase time', labelNames: ['phase'], quantiles: [0.5] });
    s.with({ phase: 'commit' });
    s.observe(2, { phase: 'reducers' });
    const text = r.render();
    expect(text).toContain('phase_ms{phase="commit",quantile="0.5"} NaN');
    expect(text).toContain('phase_ms{phase="reducers",quantile="0.5"} 2');
    expect(text).toContain('phase_ms_count{phase="reducers"} 1');
  });

  it('renders special values the way Prometheus reads them', () => {
    const r = new MetricsRegistry();
    const g = r.gauge({ name: 'g', help: 'multi\nline \\ help' });
    g.set(Infinity);
    expect(r.render()).toContain('# HELP g multi\\nline \\\\ help');
    expect(r.render()).toContain('g +Inf');
    g.set(-Infinity);
    expect(r.render()).toContain('g -Inf');
  });

  it('refuses bad names, reserved labels, duplicates and falling counters', () => {
    const r = new MetricsRegistry();
    expect(() => r.counter({ name: '1bad', help: '' })).toThrow(/invalid/);
    expect(() => r.counter({ name: 'ok', help: '', labelNames: ['__x'] })).toThrow(/reserved/);
    expect(() => r.summary({ name: 's', help: '', labelNames: ['quantile'] })).toThrow(/reserved/);
    r.counter({ name: 'dup', help: '' });
    expect(() => r.gauge({ name: 'dup', help: '' })).toThrow(/already registered/);
    const c = r.counter({ name: 'c', help: '' });
    expect(() => c.inc(-1)).toThrow(/only goes up/);
    const l = r.counter({ name: 'l', help: '', labelNames: ['a'] });
    expect(() => l.with({} as { a: string })).toThrow(/needs label "a"/);
  });
});
