import { describe, expect, it } from 'vitest';
import { buildWarnings } from './warnings.ts';
import { syntheticRun } from '../test-support/synthetic-run.ts';

const scrape = { scrapes: 5, scrapeErrors: [], metricsUrl: 'http://127.0.0.1:1/metrics' };

describe('buildWarnings', () => {
  it('says nothing about a clean run', () => {
    const r = syntheticRun({ label: 'a', bots: 10, seconds: 5, bytesPerClient: 1, tickP99: 1, serverCpu: 0.1, rttMs: 1 });
    expect(buildWarnings(r, scrape)).toEqual([]);
  });

  it('tells a busy generator from a starved one', () => {
    const busy = syntheticRun({ label: 'a', bots: 10, seconds: 5, bytesPerClient: 1, tickP99: 1, serverCpu: 0.1, rttMs: 1, workerCpu: 0.97 });
    expect(buildWarnings(busy, scrape)[0]).toMatch(/worker 0 averaged 97% of a core .* add --workers/);
    const starved = syntheticRun({ label: 'a', bots: 10, seconds: 5, bytesPerClient: 1, tickP99: 1, serverCpu: 0.1, rttMs: 1 });
    starved.summary.generator.workers[0] = { cpuMean: 0.25, cpuMax: 0.3, eluMean: 0.97, saturated: true };
    expect(buildWarnings(starved, scrape)[0]).toMatch(/worker 0 was starved of CPU \(event loop 97% busy on 25% of a core\)/);
  });

  it('reports missing metrics, failed connects, a full machine and a server that does not keep up', () => {
    const r = syntheticRun({ label: 'a', bots: 10, seconds: 5, bytesPerClient: 1, tickP99: 1, serverCpu: 0.1, rttMs: 1 });
    Object.assign(r.summary, { connectAttempts: 10, connectSuccessRate: 0.8, connectedMax: 8, machineCpuMean: 0.99, otherCpuCores: 1.2, skipped: 500, calls: 1000 });
    const w = buildWarnings(r, { scrapes: 0, scrapeErrors: ['connect ECONNREFUSED'], metricsUrl: 'http://x/metrics' });
    expect(w).toEqual([
      'machine CPU 99% busy: server and bots compete for 2 cores, and other processes took 1.20 cores',
      'no server metrics: http://x/metrics could not be read (connect ECONNREFUSED); tick phases are missing',
      '2 of 10 connects failed',
      'only 8 of 10 bots were connected at once',
      '500 calls skipped because bots had too many unanswered calls: the server is not keeping up',
    ]);
  });
});
