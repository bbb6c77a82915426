// Results: the result.json shape, the HTML report, compare-mode ratios.
export type { CompareResult, GeneratorWorker, PhaseSeries, Quantiles, RunResult, RunSeries, RunSummary } from './result.ts';
export { renderReport, headline, scriptJson } from './html.ts';
export { compareRuns, formatRatios } from './compare.ts';
export { writeResult, timestampDir } from './write.ts';
