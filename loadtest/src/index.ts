// Public face of the load-test harness, for studios writing their own scenarios and drivers.
export { defineScenario, defineHttpScenario } from './scenario/index.ts';
export type { Bot, BotScenario, HttpRequestSpec, HttpScenario, Params, ParamValue, Scenario, ServerSpec } from './scenario/index.ts';
export type { AreaSpec, BotConnectOptions, BotConnection, BotDriver, BotTraffic, DriverFactory } from './driver/index.ts';
export type { RunResult, CompareResult, RunSummary, RunSeries } from './report/index.ts';
export { renderReport, compareRuns } from './report/index.ts';
export { parsePrometheusText, snapshotFromFamilies } from './metrics/index.ts';
export { LogHistogram, percentile, summarize } from './stats/index.ts';
