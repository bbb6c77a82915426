import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport, scriptJson } from './html.ts';
import { compareRuns, formatRatios } from './compare.ts';
import { writeResult } from './write.ts';
import { syntheticRun } from '../test-support/synthetic-run.ts';
import type { CompareResult, RunResult } from './result.ts';

const run = (label: string, bytes: number, cpu: number): RunResult =>
  syntheticRun({ label, bots: 100, seconds: 5, bytesPerClient: bytes, tickP99: 10, serverCpu: cpu, rttMs: 5 });

/** The JSON embedded in the page, as the page's own script reads it. */
function embedded(html: string): { runs: RunResult[]; ratios: CompareResult['ratios'] } {
  const m = /<script id="loadtest-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('renderReport', () => {
  it('embeds the result data, uPlot itself and the chart script, so it opens offline', () => {
    const r = run('worldline', 6000, 0.4);
    const html = renderReport(r);
    const data = embedded(html);
    expect(data.runs[0]!.summary.bytesInPerClientPerSec).toBe(6000);
    expect(data.runs[0]!.series.tickPhases.total!.p99).toEqual(r.series.tickPhases.total!.p99);
    expect(html).toContain('uPlot'); // the library's code
    expect(html).toContain('.uplot'); // its stylesheet
    expect(html).toContain("chart(root, 'Server tick time per phase (ms)'");
    expect(html).toContain('Bytes per client per second');
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched from elsewhere
    expect(html).toContain('<th>bytes in per client per tick</th><td>300</td>');
  });

  it('cannot be broken out of by data that contains markup', () => {
    const r = run('</script><script>alert(1)</script>', 1, 1);
    const html = renderReport(r);
    expect(html).not.toContain('<script>alert(1)');
    expect(embedded(html).runs[0]!.label).toBe('</script><script>alert(1)</script>');
    expect(scriptJson({ a: '<!--' })).toBe('{"a":"\\u003c!--"}');
  });

  it('shows warnings and a saturated generator', () => {
    const r = run('x', 1, 1);
    r.warnings = ['load generator saturated: worker 0'];
    r.summary.generator.workers[0]!.saturated = true;
    const html = renderReport(r);
    expect(html).toContain('load generator saturated: worker 0');
    expect(html).toContain('<b>SATURATED</b>');
  });
});

describe('compare mode', () => {
  it('computes B/A ratios of the headline figures and renders both runs', () => {
    const a = run('worldline', 6000, 0.5);
    const b = run('colyseus', 13_360, 1.5);
    const c = compareRuns(a, b);
    const bytes = c.ratios.find((x) => x.metric === 'bytes in per client per tick')!;
    expect(bytes).toEqual({ metric: 'bytes in per client per tick', a: 300, b: 668, ratio: 668 / 300, better: 'lower' });
    expect(c.ratios.find((x) => x.metric === 'server CPU ms per client per second')!.ratio).toBeCloseTo(3);
    expect(formatRatios(c)).toMatch(/bytes in per client per tick\s+300\s+668\s+2\.227/);
    const html = renderReport(c);
    expect(embedded(html).runs.map((r) => r.label)).toEqual(['worldline', 'colyseus']);
    expect(html).toContain('B/A = <b>2.227</b>');
  });

  it('writes result.json and report.html into a timestamped folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'loadtest-'));
    const dir = writeResult(out, run('w', 1, 1), true, 'stamp');
    expect(dir).toBe(join(out, 'stamp'));
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).label).toBe('w');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<!doctype html>');
    rmSync(out, { recursive: true, force: true });
  });
});
