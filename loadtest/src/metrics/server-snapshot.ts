// Turns one /metrics scrape into the figures the harness tracks. Names are matched by pattern
// (not one exact spelling) so the same code reads Worldline's exposition, the Colyseus baseline's
// and prom-client's standard process metrics; the patterns are listed in loadtest/README.md.

import type { MetricFamily, Sample } from './prometheus-text.ts';

export interface PhaseStats {
  /** Milliseconds; NaN when the server does not expose that quantile. */
  p50: number;
  p99: number;
  max: number;
  /** Cumulative sum (ms) and count, when exposed: lets the harness compute a mean per interval. */
  sumMs: number;
  count: number;
}

export interface ServerSnapshot {
  /** Wall time of the scrape (ms since epoch). */
  at: number;
  tickPhases: Record<string, PhaseStats>;
  connections?: number;
  bytesIn?: number;
  bytesOut?: number;
  calls?: number;
  errors?: number;
  cpuSeconds?: number;
  rssBytes?: number;
  /** Area-of-interest sizes (rows per client area), when the server exposes them. */
  areaRows?: { p50: number; p99: number; max: number };
  /** Current tick number, when exposed. */
  tick?: number;
}

const TICK_RE = /tick/i;
const STAT_QUANTILE: Record<string, string> = { p50: '0.5', median: '0.5', p99: '0.99', max: '1' };
const AREA_RE = /area|aoi|view/i;

function unitScale(name: string): number {
  if (/_seconds?(_|$)/.test(name)) return 1000;
  if (/_(micro|us)/.test(name)) return 0.001;
  return 1; // _ms, _milliseconds, or unitless: taken as milliseconds
}

/** The phase of a tick sample: its `phase` label, else what the family name says between "tick" and the unit. */
function phaseOf(s: Sample, family: string): string {
  if (s.labels.phase) return s.labels.phase;
  const m = /tick_?(.*?)_?(ms|milliseconds|seconds|us|microseconds)?(_max)?$/.exec(family);
  const p = m?.[1]?.replace(/^_|_$/g, '');
  return p && p !== 'duration' && p !== 'time' ? p : 'total';
}

function phaseEntry(map: Record<string, PhaseStats>, phase: string): PhaseStats {
  let e = map[phase];
  if (!e) map[phase] = e = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN, sumMs: Number.NaN, count: Number.NaN };
  return e;
}

function firstMatch(families: Map<string, MetricFamily>, test: (f: MetricFamily) => boolean): number | undefined {
  for (const f of families.values()) {
    if (!test(f)) continue;
    let total = 0;
    let any = false;
    for (const s of f.samples) {
      if (s.name !== f.name && !(f.type === 'counter' && s.name === `${f.name}_total`)) continue;
      total += s.value;
      any = true;
    }
    if (any) return total;
  }
  return undefined;
}

export function snapshotFromFamilies(families: Map<string, MetricFamily>, at: number): ServerSnapshot {
  const snap: ServerSnapshot = { at, tickPhases: {} };
  for (const f of families.values()) {
    const isTick = TICK_RE.test(f.name);
    const isArea = !isTick && AREA_RE.test(f.name) && (f.type === 'summary' || f.samples.some((s) => s.labels.quantile));
    if (!isTick && !isArea) continue;
    const scale = isArea ? 1 : unitScale(f.name);
    for (const s of f.samples) {
      if (isArea) {
        snap.areaRows ??= { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
        const q = s.labels.quantile;
        if (q === '0.5') snap.areaRows.p50 = s.value;
        else if (q === '0.99') snap.areaRows.p99 = s.value;
        else if (q === '1' || s.name.endsWith('_max')) snap.areaRows.max = s.value;
        continue;
      }
      // Quantiles come as a summary's `quantile` label or as gauges with a `stat` label (p50/p99/max).
      const q = s.labels.quantile ?? STAT_QUANTILE[s.labels.stat ?? ''];
      if (q !== undefined) {
        const e = phaseEntry(snap.tickPhases, phaseOf(s, f.name));
        if (q === '0.5') e.p50 = s.value * scale;
        else if (q === '0.99') e.p99 = s.value * scale;
        else if (q === '1') e.max = s.value * scale;
      } else if (s.labels.stat !== undefined) {
        continue;
      } else if (s.name.endsWith('_max') || f.name.endsWith('_max')) {
        phaseEntry(snap.tickPhases, phaseOf(s, f.name.replace(/_max$/, ''))).max = s.value * unitScale(s.name.replace(/_max$/, ''));
      } else if (s.name.endsWith('_sum') && f.type !== 'counter') {
        phaseEntry(snap.tickPhases, phaseOf(s, f.name)).sumMs = s.value * scale;
      } else if (s.name.endsWith('_count') && f.type !== 'counter') {
        phaseEntry(snap.tickPhases, phaseOf(s, f.name)).count = s.value;
      } else if (/(^|_)tick(_number|s)?(_total)?$/.test(s.name) || /current_tick|tick_number/.test(s.name)) {
        snap.tick = s.value;
      }
    }
  }
  snap.connections = firstMatch(families, (f) => f.type !== 'counter' && /connections?(_current|_active|_open)?$/.test(f.name));
  snap.bytesIn = firstMatch(families, (f) => /bytes_(in|received|recv)(_total)?$/.test(f.name));
  snap.bytesOut = firstMatch(families, (f) => /bytes_(out|sent)(_total)?$/.test(f.name));
  snap.calls = firstMatch(families, (f) => /(^|_)(calls|reducer_calls)(_total)?$/.test(f.name));
  snap.errors =
    firstMatch(families, (f) => /(^|_)call_errors(_total)?$/.test(f.name)) ??
    firstMatch(families, (f) => /(^|_)errors(_total)?$/.test(f.name));
  snap.cpuSeconds = firstMatch(families, (f) => f.name === 'process_cpu_seconds' || f.name === 'process_cpu_seconds_total');
  snap.rssBytes = firstMatch(families, (f) => f.name === 'process_resident_memory_bytes');
  // Or one `*_process` gauge family with a `what` label (rss_bytes, cpu_user_seconds, cpu_system_seconds).
  for (const f of families.values()) {
    if (!/(^|_)process$/.test(f.name)) continue;
    const what = (w: string): number | undefined => f.samples.find((s) => s.labels.what === w)?.value;
    const user = what('cpu_user_seconds');
    const sys = what('cpu_system_seconds');
    if (snap.cpuSeconds === undefined && user !== undefined) snap.cpuSeconds = user + (sys ?? 0);
    snap.rssBytes ??= what('rss_bytes');
  }
  return snap;
}
