// Renders result.json into a single self-contained report.html: summary tables, warnings, and
// uPlot charts with uPlot's JS and CSS inlined so the file opens offline.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CompareResult, RunResult } from './result.ts';
import { CHARTS_SCRIPT } from './charts-script.ts';

const require = createRequire(import.meta.url);

let uplotAssets: { js: string; css: string } | undefined;
function uplot(): { js: string; css: string } {
  if (!uplotAssets) {
    const dir = require.resolve('uplot/package.json').replace(/package\.json$/, '');
    uplotAssets = {
      js: readFileSync(`${dir}dist/uPlot.iife.min.js`, 'utf8'),
      css: readFileSync(`${dir}dist/uPlot.min.css`, 'utf8'),
    };
  }
  return uplotAssets;
}

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON safe inside a <script> element: no "</script>" or "<!--" can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const num = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : Number(v.toFixed(digits)).toLocaleString('en-US');

/** The headline rows of a run: label, value, unit. */
export function headline(r: RunResult): Array<[string, number, string]> {
  const s = r.summary;
  const rows: Array<[string, number, string]> = [
    ['bots connected (max)', s.connectedMax, ''],
    ['connect success rate', s.connectSuccessRate * 100, '%'],
    ['connect time p99', s.connectMs.p99, 'ms'],
    ['calls per second', s.callsPerSec, '/s'],
    ['call errors', s.callErrors, ''],
    ['call round trip p50', s.rttMs.p50, 'ms'],
    ['call round trip p99', s.rttMs.p99, 'ms'],
    ['update latency p50', s.updateLatencyMs.p50, 'ms'],
    ['update latency p99', s.updateLatencyMs.p99, 'ms'],
    ['bytes in per client per second', s.bytesInPerClientPerSec, 'B/s'],
    ['bytes in per client per tick', s.bytesInPerClientPerTick, 'B'],
    ['messages in per client per second', s.framesInPerClientPerSec, '/s'],
    ['bytes per message in', s.bytesInPerFrame, 'B'],
    ['server ticks per second', s.tickRate, '/s'],
    ['bytes out per client per second', s.bytesOutPerClientPerSec, 'B/s'],
    ['rows visible per client p50', s.areaRows.p50, ''],
    ['server CPU', s.serverCpuCores, 'cores'],
    ['server CPU per client', s.serverCpuMsPerClientPerSec, 'ms/s'],
    ['server RSS max', s.serverRssMbMax, 'MB'],
    ['machine CPU mean', s.machineCpuMean * 100, '%'],
    ['CPU used by other processes', s.otherCpuCores, 'cores'],
  ];
  for (const [p, v] of Object.entries(s.tickPhases)) {
    rows.push([`tick ${p} p50`, v.p50, 'ms'], [`tick ${p} p99`, v.p99, 'ms'], [`tick ${p} p99 worst`, v.p99Worst, 'ms'], [`tick ${p} max`, v.max, 'ms']);
  }
  return rows;
}

function runHeader(r: RunResult): string {
  const c = r.config;
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
  const gen = r.summary.generator.workers
    .map((w, i) => `worker ${i}: ${num(w.cpuMean * 100, 0)}% CPU, loop ${num(w.eluMean * 100, 0)}%${w.saturated ? ' <b>SATURATED</b>' : ''}`)
    .join('; ');
  return `<h2>${esc(r.label)}</h2>
<p>Scenario <b>${esc(r.scenario)}</b> on target <b>${esc(r.target)}</b>: ${c.bots} bots over ${c.workers} worker process(es),
${c.durationS} s (steady window ${num(r.summary.steadyS, 0)} s), server ${esc(c.url)}${c.serverStartedByHarness ? ' (started by the harness)' : ''}.
Params: ${esc(params)}. Machine: ${r.machine.cpus} × ${esc(r.machine.cpuModel)}, ${r.machine.memoryGb} GB, Node ${esc(r.machine.node)}.
Started ${esc(r.startedAt)}.</p>
<p>Load generator: ${gen || 'no worker reports'}.${r.summary.slowestPhase ? ` Slowest tick phase (p99): <b>${esc(r.summary.slowestPhase)}</b>.` : ''}</p>
${r.warnings.length ? `<ul class="warn">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
${r.errors.length ? `<details><summary>${r.errors.length} kinds of errors</summary><ul>${r.errors.map((e) => `<li>${e.count} × ${esc(e.message)}</li>`).join('')}</ul></details>` : ''}`;
}

function table(runs: readonly RunResult[], ratios?: CompareResult['ratios']): string {
  const heads = runs.map((r) => `<th>${esc(r.label)}</th>`).join('');
  const rows = headline(runs[0]!).map(([label], i) => {
    const unit = headline(runs[0]!)[i]![2];
    const cells = runs.map((r) => `<td>${num(headline(r)[i]?.[1])}</td>`).join('');
    return `<tr><th>${esc(label)}</th>${cells}<td>${esc(unit)}</td></tr>`;
  });
  const ratioRows = (ratios ?? []).map(
    (x) => `<tr><th>${esc(x.metric)}</th><td>${num(x.a)}</td><td>${num(x.b)}</td><td>B/A = <b>${num(x.ratio, 3)}</b> (${x.better} is better)</td></tr>`,
  );
  return `<table><tr><th></th>${heads}<th>unit</th></tr>${rows.join('')}</table>${
    ratioRows.length ? `<h2>Ratios</h2><table><tr><th></th>${heads}<th></th></tr>${ratioRows.join('')}</table>` : ''
  }`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:20px;color:#111}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{text-align:left;background:#f6f6f6}
.warn{color:#b45309}.chart{margin:16px 0}`;

export function renderReport(input: RunResult | CompareResult): string {
  const runs = 'a' in input ? [input.a, input.b] : [input];
  const ratios = 'a' in input ? input.ratios : undefined;
  const title = runs.length > 1 ? `Load test: ${runs[0]!.label} vs ${runs[1]!.label}` : `Load test: ${runs[0]!.label}`;
  const { js, css } = uplot();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${css}</style><style>${STYLE}</style></head>
<body><h1>${esc(title)}</h1>
${runs.map(runHeader).join('\n')}
<h2>Summary (steady window)</h2>${table(runs, ratios)}
<div id="charts"></div>
<script id="loadtest-data" type="application/json">${scriptJson({ runs, ratios: ratios ?? [] })}</script>
<script>${js.replace(/<\/script/gi, "<\\/script")}</script>
<script>${CHARTS_SCRIPT}</script>
</body></html>
`;
}
