// Facts about the machine a run happened on, recorded in every result.

import { cpus, totalmem } from 'node:os';

export function machineInfo(): { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string } {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Default bot processes: one per 1,000 bots, at most one per core. */
export function defaultWorkers(bots: number): number {
  return Math.max(1, Math.min(cpus().length, Math.ceil(bots / 1000)));
}
