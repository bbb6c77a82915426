// The text summary printed after a run, and the one-line JSON of headline figures.

import type { RunResult } from '../report/result.ts';
import { headline } from '../report/html.ts';

const f = (v: number): string => (Number.isFinite(v) ? String(Number(v.toFixed(2))) : '–');

export function formatSummary(r: RunResult): string {
  const lines = [`== ${r.label} (${r.scenario} on ${r.target}, ${r.config.bots} bots, ${r.config.durationS} s)`];
  for (const [label, value, unit] of headline(r)) lines.push(`  ${label.padEnd(34)} ${f(value)} ${unit}`.trimEnd());
  if (r.summary.slowestPhase) lines.push(`  slowest tick phase (p99): ${r.summary.slowestPhase}`);
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  for (const e of r.errors.slice(0, 5)) lines.push(`  error ×${e.count}: ${e.message}`);
  return lines.join('\n');
}

export function headlineJson(r: RunResult, dir: string): Record<string, unknown> {
  const s = r.summary;
  const phases = s.tickPhases;
  const total = phases.total ?? phases.tick ?? Object.values(phases)[0];
  const n = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    label: r.label,
    scenario: r.scenario,
    target: r.target,
    bots: r.config.bots,
    connected: s.connectedMax,
    connectSuccessRate: n(s.connectSuccessRate),
    callsPerSec: n(s.callsPerSec),
    callErrors: s.callErrors,
    rttP50Ms: n(s.rttMs.p50),
    rttP99Ms: n(s.rttMs.p99),
    updateP99Ms: n(s.updateLatencyMs.p99),
    tickP50Ms: n(total?.p50 ?? Number.NaN),
    tickP99Ms: n(total?.p99 ?? Number.NaN),
    tickMaxMs: n(total?.max ?? Number.NaN),
    slowestPhase: s.slowestPhase ?? null,
    bytesInPerClientPerTick: n(s.bytesInPerClientPerTick),
    bytesInPerClientPerSec: n(s.bytesInPerClientPerSec),
    bytesInPerMessage: n(s.bytesInPerFrame),
    tickRate: n(s.tickRate),
    bytesOutPerClientPerSec: n(s.bytesOutPerClientPerSec),
    serverCpuCores: n(s.serverCpuCores),
    serverCpuMsPerClientPerSec: n(s.serverCpuMsPerClientPerSec),
    serverRssMbMax: n(s.serverRssMbMax),
    generatorSaturated: s.generator.saturated,
    warnings: r.warnings.length,
    resultDir: dir,
  };
}
