// Statistics used by the load-test harness: exact percentiles and a mergeable latency histogram.
export { percentile, percentileSorted, summarize } from './percentile.ts';
export type { Summary } from './percentile.ts';
export { LogHistogram } from './log-histogram.ts';
export type { HistogramData } from './log-histogram.ts';
