// Compare mode's arithmetic: the B/A ratio of each headline figure, and the text printed for it.

import type { CompareResult, RunResult } from './result.ts';

type Pick = (r: RunResult) => number;

const totalTickP99: Pick = (r) => {
  const p = r.summary.tickPhases;
  return (p.total ?? p.tick ?? Object.values(p)[0])?.p99 ?? Number.NaN;
};

const METRICS: Array<[string, Pick, 'lower' | 'higher']> = [
  ['bytes in per client per tick', (r) => r.summary.bytesInPerClientPerTick, 'lower'],
  ['bytes in per client per second', (r) => r.summary.bytesInPerClientPerSec, 'lower'],
  ['bytes per message in', (r) => r.summary.bytesInPerFrame, 'lower'],
  ['server CPU ms per client per second', (r) => r.summary.serverCpuMsPerClientPerSec, 'lower'],
  ['server CPU (cores)', (r) => r.summary.serverCpuCores, 'lower'],
  ['server RSS max (MB)', (r) => r.summary.serverRssMbMax, 'lower'],
  ['tick p99 (ms)', totalTickP99, 'lower'],
  ['call round trip p99 (ms)', (r) => r.summary.rttMs.p99, 'lower'],
  ['update latency p99 (ms)', (r) => r.summary.updateLatencyMs.p99, 'lower'],
  ['calls per second', (r) => r.summary.callsPerSec, 'higher'],
  ['connect success rate', (r) => r.summary.connectSuccessRate, 'higher'],
];

export function compareRuns(a: RunResult, b: RunResult): CompareResult {
  const ratios: CompareResult['ratios'] = [];
  for (const [metric, pick, better] of METRICS) {
    const va = pick(a);
    const vb = pick(b);
    if (!Number.isFinite(va) && !Number.isFinite(vb)) continue;
    ratios.push({ metric, a: va, b: vb, ratio: va !== 0 ? vb / va : Number.NaN, better });
  }
  return { version: 1, a, b, ratios };
}

export function formatRatios(c: CompareResult): string {
  const f = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : '–');
  const w = Math.max(...c.ratios.map((r) => r.metric.length));
  const lines = [`${'metric'.padEnd(w)}  ${c.a.label.padStart(12)}  ${c.b.label.padStart(12)}  B/A`];
  for (const r of c.ratios) {
    lines.push(`${r.metric.padEnd(w)}  ${f(r.a).padStart(12)}  ${f(r.b).padStart(12)}  ${f(r.ratio)} (${r.better} is better)`);
  }
  return lines.join('\n');
}
