// CPU and memory of a process (and of the whole machine) read from /proc, for servers the harness
// started itself and for machines where /metrics carries no process metrics. Linux only; returns
// undefined elsewhere so callers degrade to "not measured".

import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second: 100 on every Linux the harness targets (USER_HZ). */
const CLK_TCK = 100;
const PAGE_SIZE = 4096;

export interface ProcSample {
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

export function readProcStats(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuSeconds: (utime + stime) / CLK_TCK, rssBytes: rssPages * PAGE_SIZE };
  } catch {
    return undefined;
  }
}

export interface MachineCpuSample {
  busy: number;
  total: number;
}

/** Aggregate jiffies from /proc/stat; the busy fraction over an interval is Δbusy / Δtotal. */
export function readMachineCpu(): MachineCpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
