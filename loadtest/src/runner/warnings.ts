// Plain-language warnings attached to a result: things that make its figures less trustworthy.

import type { RunResult } from '../report/result.ts';

export function buildWarnings(r: RunResult, s: { scrapes: number; scrapeErrors: string[]; metricsUrl: string }): string[] {
  const w: string[] = [];
  const sum = r.summary;
  sum.generator.workers.forEach((g, i) => {
    if (g.saturated) {
      const cpu = `${(g.cpuMean * 100).toFixed(0)}% of a core`;
      const loop = `event loop ${(g.eluMean * 100).toFixed(0)}% busy`;
      // A busy loop on little CPU means the process waited for a core, not that it had too much to do.
      w.push(
        g.cpuMean < 0.6
          ? `load generator saturated: worker ${i} was starved of CPU (${loop} on ${cpu}); latencies include generator delay — free the machine or run bots elsewhere`
          : `load generator saturated: worker ${i} averaged ${cpu} (${loop}); latencies include generator delay — add --workers or machines`,
      );
    }
  });
  if (sum.machineCpuMean >= 0.95) {
    w.push(
      `machine CPU ${(sum.machineCpuMean * 100).toFixed(0)}% busy: server and bots compete for ${r.machine.cpus} cores` +
        (sum.otherCpuCores >= 0.25 ? `, and other processes took ${sum.otherCpuCores.toFixed(2)} cores` : ''),
    );
  }
  if (s.scrapes === 0) {
    w.push(`no server metrics: ${s.metricsUrl} could not be read (${s.scrapeErrors[0] ?? 'no answer'}); tick phases are missing`);
  } else if (Object.keys(sum.tickPhases).length === 0) {
    w.push(`${s.metricsUrl} answered but exposes no tick-phase summaries (a metric named *tick* with quantile labels)`);
  }
  if (sum.connectSuccessRate < 1) {
    w.push(`${sum.connectAttempts - Math.round(sum.connectSuccessRate * sum.connectAttempts)} of ${sum.connectAttempts} connects failed`);
  }
  if (sum.connectedMax < r.config.bots) w.push(`only ${sum.connectedMax} of ${r.config.bots} bots were connected at once`);
  if (sum.drops > 0) w.push(`${sum.drops} connections dropped by the server or network during the run`);
  if (sum.skipped > 0 && sum.calls > 0 && sum.skipped / (sum.calls + sum.skipped) > 0.01) {
    w.push(`${sum.skipped} calls skipped because bots had too many unanswered calls: the server is not keeping up`);
  }
  return w;
}
