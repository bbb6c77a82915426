import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.ts';
import { snapshotFromFamilies } from './server-snapshot.ts';

describe('snapshotFromFamilies', () => {
  it('reads tick phases (seconds or ms), max gauges, process and traffic metrics', () => {
    const text = `# TYPE worldline_tick_phase_seconds summary
worldline_tick_phase_seconds{phase="calls",quantile="0.5"} 0.001
worldline_tick_phase_seconds{phase="calls",quantile="0.99"} 0.003
worldline_tick_phase_seconds_sum{phase="calls"} 2
worldline_tick_phase_seconds_count{phase="calls"} 1000
# TYPE worldline_tick_phase_seconds_max gauge
worldline_tick_phase_seconds_max{phase="calls"} 0.02
# TYPE worldline_tick_ms summary
worldline_tick_ms{quantile="0.5"} 7
worldline_tick_ms{quantile="0.99"} 21
# TYPE worldline_connections gauge
worldline_connections 512
# TYPE worldline_bytes_out_total counter
worldline_bytes_out_total 1000000
# TYPE worldline_bytes_in_total counter
worldline_bytes_in_total 2000
# TYPE worldline_calls_total counter
worldline_calls_total{reducer="move"} 90
worldline_calls_total{reducer="chat"} 10
# TYPE worldline_call_errors_total counter
worldline_call_errors_total 4
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.5
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 104857600
# TYPE worldline_area_rows summary
worldline_area_rows{quantile="0.5"} 98
worldline_area_rows{quantile="0.99"} 130
`;
    const s = snapshotFromFamilies(parsePrometheusText(text), 1);
    expect(s.tickPhases.calls).toEqual({ p50: 1, p99: 3, max: 20, sumMs: 2000, count: 1000 });
    expect(s.tickPhases.total).toMatchObject({ p50: 7, p99: 21 });
    expect(s).toMatchObject({ connections: 512, bytesOut: 1e6, bytesIn: 2000, calls: 100, errors: 4, cpuSeconds: 12.5, rssBytes: 104857600 });
    expect(s.areaRows).toMatchObject({ p50: 98, p99: 130 });
  });

  it('reads the Worldline server exposition (gauges with phase and stat labels, process gauge)', () => {
    const text = `# HELP worldline_tick_phase_ms Tick phase duration over the last 2048 ticks, ms
# TYPE worldline_tick_phase_ms gauge
worldline_tick_phase_ms{phase="systems",stat="p50"} 3.5
worldline_tick_phase_ms{phase="systems",stat="p99"} 8
worldline_tick_phase_ms{phase="systems",stat="max"} 11
worldline_tick_phase_ms{phase="total",stat="p50"} 6
worldline_tick_phase_ms{phase="total",stat="p99"} 14
worldline_tick_phase_ms{phase="total",stat="max"} 20
# TYPE worldline_tick gauge
worldline_tick 1234
# TYPE worldline_connections gauge
worldline_connections 7
# TYPE worldline_connections_accepted_total counter
worldline_connections_accepted_total 9
# TYPE worldline_bytes_sent_total counter
worldline_bytes_sent_total 5000
# TYPE worldline_bytes_received_total counter
worldline_bytes_received_total 300
# TYPE worldline_process gauge
worldline_process{what="rss_bytes"} 52428800
worldline_process{what="cpu_user_seconds"} 3
worldline_process{what="cpu_system_seconds"} 0.5
`;
    const s = snapshotFromFamilies(parsePrometheusText(text), 1);
    expect(s.tickPhases.systems).toMatchObject({ p50: 3.5, p99: 8, max: 11 });
    expect(s.tickPhases.total).toMatchObject({ p50: 6, p99: 14, max: 20 });
    expect(Object.keys(s.tickPhases).sort()).toEqual(['systems', 'total']);
    expect(s).toMatchObject({ tick: 1234, connections: 7, bytesOut: 5000, bytesIn: 300, cpuSeconds: 3.5, rssBytes: 52428800 });
  });

  it('reads the Colyseus baseline exposition (ms summary with phase labels and a tick counter)', () => {
    const text = `# TYPE colyseus_tick_phase_ms summary
colyseus_tick_phase_ms{phase="patch",quantile="0.5"} 4.5
colyseus_tick_phase_ms{phase="patch",quantile="0.99"} 9
colyseus_tick_phase_ms_sum{phase="patch"} 450
colyseus_tick_phase_ms_count{phase="patch"} 100
# TYPE colyseus_tick_phase_ms_max gauge
colyseus_tick_phase_ms_max{phase="patch"} 12
# TYPE colyseus_tick_number counter
colyseus_tick_number 100
`;
    const s = snapshotFromFamilies(parsePrometheusText(text), 1);
    expect(s.tickPhases).toEqual({ patch: { p50: 4.5, p99: 9, max: 12, sumMs: 450, count: 100 } });
    expect(s.tick).toBe(100);
    expect(s.connections).toBeUndefined();
  });
});
