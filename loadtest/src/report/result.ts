// The shape of result.json: what one load-test run measured. The HTML report and compare mode
// read only this, so a result can be re-rendered or compared later.

export interface Quantiles {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

export interface PhaseSeries {
  p50: number[];
  p99: number[];
  max: number[];
  /** Mean per interval from Δsum/Δcount, when the server exposes them. */
  mean: number[];
}

export interface RunSeries {
  /** Seconds since the run started, one entry per interval. */
  t: number[];
  connected: number[];
  callsPerSec: number[];
  errorsPerSec: number[];
  rttP50: number[];
  rttP99: number[];
  updateP50: number[];
  updateP99: number[];
  bytesInPerClientPerSec: number[];
  bytesOutPerClientPerSec: number[];
  areaRowsP50: number[];
  /** Server CPU in cores (1 = one core busy) and resident memory in MB. */
  serverCpu: number[];
  serverRssMb: number[];
  /** Whole-machine CPU busy fraction (0..1), when /proc/stat is readable. */
  machineCpu: number[];
  /** Cores used by everything but the server and the bot workers (other processes, the coordinator). */
  otherCpu: number[];
  tickPhases: Record<string, PhaseSeries>;
  /** Per worker: CPU in cores, event-loop utilisation. */
  workerCpu: number[][];
  workerElu: number[][];
}

export interface GeneratorWorker {
  cpuMean: number;
  cpuMax: number;
  eluMean: number;
  saturated: boolean;
}

export interface RunSummary {
  bots: number;
  /** Seconds of the steady window the summary covers (all bots that would connect are in). */
  steadyS: number;
  connectedMax: number;
  connectAttempts: number;
  connectSuccessRate: number;
  connectMs: Quantiles;
  drops: number;
  calls: number;
  callsPerSec: number;
  callErrors: number;
  skipped: number;
  rttMs: Quantiles;
  updateLatencyMs: Quantiles;
  bytesInPerClientPerSec: number;
  bytesOutPerClientPerSec: number;
  bytesInPerClientPerTick: number;
  /** WebSocket messages each client receives per second, and their mean size. */
  framesInPerClientPerSec: number;
  bytesInPerFrame: number;
  /** Server ticks per second: measured from its tick counter when exposed, else the scenario's. */
  tickRate: number;
  areaRows: Quantiles;
  /** Per phase over the steady window: median of the interval p50s and p99s, worst p99, max. */
  tickPhases: Record<string, { p50: number; p99: number; p99Worst: number; max: number; mean: number }>;
  /** The phase with the largest p99 (excluding a "total" phase), if any. */
  slowestPhase?: string;
  serverCpuCores: number;
  /** Server CPU milliseconds spent per connected client per second. */
  serverCpuMsPerClientPerSec: number;
  serverRssMbMax: number;
  machineCpuMean: number;
  otherCpuCores: number;
  generator: { workers: GeneratorWorker[]; saturated: boolean };
}

export interface RunResult {
  version: 1;
  label: string;
  scenario: string;
  target: string;
  driver: string;
  config: {
    bots: number;
    durationS: number;
    workers: number;
    url: string;
    params: Record<string, string | number | boolean>;
    connectRate: number;
    stepMs: number;
    intervalS: number;
    serverStartedByHarness: boolean;
  };
  startedAt: string;
  endedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  series: RunSeries;
  summary: RunSummary;
  /** Problems worth reading before trusting the figures (saturated generator, failed scrapes...). */
  warnings: string[];
  errors: Array<{ message: string; count: number }>;
}

/** What compare mode writes: both runs and the B/A ratios of the headline figures. */
export interface CompareResult {
  version: 1;
  a: RunResult;
  b: RunResult;
  ratios: Array<{ metric: string; a: number; b: number; ratio: number; better: 'lower' | 'higher' }>;
}
