// Resolves what one run needs — scenario, target (driver + server), params — from CLI options and
// an optional compare config, and runs it. Shared by the CLI and the smoke test.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario, resolveScenarioPath } from '../scenario/load-scenario.ts';
import type { ParamValue, Scenario } from '../scenario/scenario.ts';
import type { RunResult } from '../report/result.ts';
import type { Progress } from '../progress/progress.ts';
import { runBots } from '../runner/coordinator.ts';
import { runHttp } from '../http/run-http.ts';
import { ArgsError, type CliOptions } from './parse-args.ts';

/** A compare-mode configuration file (all fields optional; they override the command line). */
export interface RunConfig {
  label?: string;
  target?: string;
  url?: string;
  bots?: number;
  workers?: number;
  durationS?: number;
  params?: Record<string, ParamValue>;
}

/** A compare argument is a target name ("colyseus") or a path to a JSON RunConfig. */
export function readRunConfig(arg: string, cwd: string): RunConfig {
  if (!/\.json$/.test(arg)) return { target: arg, label: arg };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, arg), 'utf8'));
  } catch (e) {
    throw new ArgsError(`cannot read compare config ${arg}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!parsed || typeof parsed !== 'object') throw new ArgsError(`compare config ${arg} must be a JSON object`);
  return { label: arg.replace(/^.*[\\/]/, '').replace(/\.json$/, ''), ...(parsed as RunConfig) };
}

export interface PreparedRun {
  scenarioPath: string;
  scenario: Scenario;
}

export async function prepare(opts: CliOptions, cwd: string): Promise<PreparedRun> {
  const scenarioPath = resolveScenarioPath(opts.scenario, cwd);
  return { scenarioPath, scenario: await loadScenario(scenarioPath) };
}

export async function runOne(
  prep: PreparedRun,
  opts: CliOptions,
  config: RunConfig,
  repoRoot: string,
  progress?: Progress,
): Promise<RunResult> {
  const { scenario, scenarioPath } = prep;
  const target = config.target ?? opts.target ?? scenario.targets?.[0] ?? 'worldline';
  const targets = scenario.targets ?? ['worldline'];
  if (!targets.includes(target)) {
    throw new ArgsError(`scenario ${scenario.name} runs on ${targets.join(', ')}, not "${target}"`);
  }
  const params = { ...(scenario.params ?? {}), ...opts.params, ...(config.params ?? {}) };
  const url = config.url ?? opts.url;
  const bots = config.bots ?? opts.bots;
  const durationS = config.durationS ?? opts.durationS;
  const label = config.label ?? opts.label ?? `${scenario.name} ${target} ${bots} bots`;
  const server = url ? undefined : scenario.servers?.[target];
  if (scenario.kind === 'http') {
    return runHttp({ scenario, target, label, url, server, connections: bots, durationS, params, intervalS: opts.intervalS, cwd: repoRoot, progress });
  }
  const driver = typeof params.driver === 'string' ? params.driver : target;
  return runBots({
    scenarioPath, scenario, target, driver, label, url, server, bots, durationS,
    workers: config.workers ?? opts.workers, connectRate: opts.connectRate, params, intervalS: opts.intervalS,
    cwd: repoRoot, progress,
  });
}
