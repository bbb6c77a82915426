// Smoke runs of the whole harness as a user runs it: the CLI starts a server, forks a bot worker,
// scrapes /metrics, and writes result.json + report.html. A few bots for a few seconds against
// the real Worldline server (SDK bots) and against the Colyseus baseline.

import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './report/result.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'loadtest/src/cli.ts', ...args], { cwd: ROOT, timeout: 90_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

describe('loadtest CLI smoke run', () => {
  const out = mkdtempSync(join(tmpdir(), 'loadtest-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('drives SDK bots against the Worldline server and measures areas, bytes, latency and tick phases', async () => {
    // 2,000 entities on a 283-unit map: the density (100,000 on 2,000), so ~100 visible.
    const { stdout } = await runCli([
      '--scenario', 'wander', '--bots', '4', '--duration', '6',
      '--param', 'entities=2000', '--param', 'mapSize=283', '--out', out, '--no-html',
    ]);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ scenario: 'wander', target: 'worldline', bots: 4, connected: 4, connectSuccessRate: 1, callErrors: 0 });
    const r = JSON.parse(readFileSync(join(last.resultDir as string, 'result.json'), 'utf8')) as RunResult;
    expect(r.summary.drops).toBe(0);
    expect(r.summary.areaRows.p50).toBeGreaterThan(40);
    expect(r.summary.areaRows.p50).toBeLessThan(200);
    expect(r.summary.bytesInPerClientPerTick).toBeGreaterThan(50);
    expect(r.summary.bytesInPerClientPerTick).toBeLessThan(5000);
    expect(r.summary.updateLatencyMs.count).toBeGreaterThan(0);
    expect(r.summary.rttMs.count).toBeGreaterThan(0);
    expect(r.summary.tickPhases.total!.p50).toBeGreaterThan(0);
    expect(Object.keys(r.summary.tickPhases)).toEqual(expect.arrayContaining(['calls', 'systems', 'publish', 'total']));
    expect(r.summary.serverCpuCores).toBeGreaterThan(0);
  });

  it('drives bots against the Colyseus baseline and reports bytes, areas and tick phases', async () => {
    // 2,000 entities on a 283-unit map: the density (100,000 on 2,000), so ~100 visible.
    const { stdout, stderr } = await runCli([
      '--scenario', 'scene', '--target', 'colyseus', '--bots', '4', '--duration', '5',
      '--param', 'entities=2000', '--param', 'mapSize=283', '--out', out,
    ]);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ scenario: 'scene', target: 'colyseus', bots: 4, connected: 4, connectSuccessRate: 1, callErrors: 0 });
    expect(stderr).toContain('bots 4/4'); // the progress line (plain lines: not a terminal)
    const dir = last.resultDir as string;
    const r = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    // Each client sees about 100 moving entities and receives their position changes every tick.
    expect(r.summary.areaRows.p50).toBeGreaterThan(40);
    expect(r.summary.areaRows.p50).toBeLessThan(200);
    expect(r.summary.bytesInPerClientPerTick).toBeGreaterThan(100);
    expect(r.summary.bytesInPerClientPerTick).toBeLessThan(5000);
    expect(r.summary.tickRate).toBeGreaterThan(10);
    // /metrics was scraped and parsed: phases present, server CPU and RSS measured from /proc.
    expect(Object.keys(r.summary.tickPhases).sort()).toEqual(['aoi', 'patch', 'simulate', 'total']);
    expect(r.summary.tickPhases.total!.p50).toBeGreaterThan(0);
    expect(r.summary.serverCpuCores).toBeGreaterThan(0);
    expect(r.summary.serverRssMbMax).toBeGreaterThan(20);
    expect(r.summary.rttMs.count).toBeGreaterThan(0);
    expect(r.summary.generator.workers).toHaveLength(1);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });
});
