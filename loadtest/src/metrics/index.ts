// Server-side measurements: Prometheus text parsing, /metrics scraping, /proc process stats.
export { parsePrometheusText, sampleValue, PrometheusParseError } from './prometheus-text.ts';
export type { MetricFamily, MetricType, Sample } from './prometheus-text.ts';
export { snapshotFromFamilies } from './server-snapshot.ts';
export type { PhaseStats, ServerSnapshot } from './server-snapshot.ts';
export { readProcStats, readMachineCpu } from './proc-stats.ts';
export type { ProcSample, MachineCpuSample } from './proc-stats.ts';
export { scrapeMetrics, metricsUrlFor } from './scrape.ts';
