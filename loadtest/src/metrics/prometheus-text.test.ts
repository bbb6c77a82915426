import { describe, expect, it } from 'vitest';
import { PrometheusParseError, parsePrometheusText, sampleValue } from './prometheus-text.ts';

const TEXT = `# HELP worldline_tick_phase_seconds Tick phase durations.
# TYPE worldline_tick_phase_seconds summary
worldline_tick_phase_seconds{phase="systems",quantile="0.5"} 0.004
worldline_tick_phase_seconds{phase="systems",quantile="0.99"} 0.012
worldline_tick_phase_seconds_sum{phase="systems"} 1.5
worldline_tick_phase_seconds_count{phase="systems"} 300
# HELP http_requests_total Requests, with an escaped "label".
# TYPE http_requests_total counter
http_requests_total{path="/v1/call/a\\"b",code="200"} 1027 1395066363000
http_requests_total{path="/health",code="200"} 3
# TYPE latency histogram
latency_bucket{le="0.1"} 5
latency_bucket{le="+Inf"} 7
latency_sum 0.9
latency_count 7
untyped_thing NaN
gauge_with_space { a = "1" } -Inf
`;

describe('parsePrometheusText', () => {
  const f = parsePrometheusText(TEXT);

  it('groups summary and histogram samples under their family with its type and help', () => {
    const s = f.get('worldline_tick_phase_seconds')!;
    expect(s.type).toBe('summary');
    expect(s.help).toBe('Tick phase durations.');
    expect(s.samples.map((x) => x.name)).toEqual([
      'worldline_tick_phase_seconds',
      'worldline_tick_phase_seconds',
      'worldline_tick_phase_seconds_sum',
      'worldline_tick_phase_seconds_count',
    ]);
    expect(s.samples[1]).toEqual({ name: 'worldline_tick_phase_seconds', labels: { phase: 'systems', quantile: '0.99' }, value: 0.012 });
    expect(f.get('latency')!.samples).toHaveLength(4);
    expect(f.get('latency')!.samples[1]!.labels.le).toBe('+Inf');
  });

  it('unescapes label values and reads timestamps', () => {
    const c = f.get('http_requests_total')!;
    expect(c.type).toBe('counter');
    expect(c.samples[0]!.labels.path).toBe('/v1/call/a"b');
    expect(c.samples[0]!.timestampMs).toBe(1395066363000);
  });

  it('reads NaN and ±Inf values and tolerates spaces around labels', () => {
    expect(f.get('untyped_thing')!.samples[0]!.value).toBeNaN();
    expect(f.get('untyped_thing')!.type).toBe('untyped');
    expect(f.get('gauge_with_space')!.samples[0]).toMatchObject({ labels: { a: '1' }, value: Number.NEGATIVE_INFINITY });
  });

  it('sums matching samples with sampleValue', () => {
    expect(sampleValue(f, 'http_requests_total')).toBe(1030);
    expect(sampleValue(f, 'http_requests_total', { path: '/health' })).toBe(3);
    expect(sampleValue(f, 'missing')).toBeUndefined();
  });

  it('rejects a malformed line with its line number', () => {
    expect(() => parsePrometheusText('ok 1\nbad{a="1" 2\n')).toThrow(PrometheusParseError);
    expect(() => parsePrometheusText('ok 1\nx{a="1"} notanumber')).toThrow(/line 2/);
  });
});
