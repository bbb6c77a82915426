// Messages between the coordinator and its bot worker processes (over the fork IPC channel).

import type { HistogramData } from '../stats/log-histogram.ts';
import type { Params } from '../scenario/scenario.ts';

export interface WorkerInit {
  type: 'init';
  workerId: number;
  scenarioPath: string;
  driver: string;
  url: string;
  /** This worker's bots: indices first..first+count-1 of `totalBots`. */
  first: number;
  count: number;
  totalBots: number;
  params: Params;
  /** Bots per second this worker connects. */
  connectRate: number;
  intervalMs: number;
  seed: number;
}

export interface WorkerStop {
  type: 'stop';
}

export type ToWorker = WorkerInit | WorkerStop;

/** Counters are deltas since the previous report; gauges are current values. */
export interface WorkerReport {
  type: 'report';
  workerId: number;
  /** Wall time at the end of the interval (ms since epoch) and its length. */
  at: number;
  intervalMs: number;
  connected: number;
  connectOk: number;
  connectFail: number;
  drops: number;
  calls: number;
  callErrors: number;
  skipped: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  rtt: HistogramData;
  updateLatency: HistogramData;
  connectMs: HistogramData;
  /** Rows visible to each connected bot, sampled this interval. */
  areaRows: HistogramData;
  /** CPU seconds this process used during the interval, and its event-loop utilisation (0..1). */
  cpuSeconds: number;
  elu: number;
  /** Error messages seen this interval with counts (capped). */
  errors: Record<string, number>;
}

export interface WorkerDone {
  type: 'done';
  workerId: number;
}

export interface WorkerFailed {
  type: 'failed';
  workerId: number;
  message: string;
}

export type FromWorker = WorkerReport | WorkerDone | WorkerFailed;
