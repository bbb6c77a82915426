// The scenario contract (what files in loadtest/scenarios/ export) and its loader.
export { defineScenario, defineHttpScenario } from './scenario.ts';
export type {
  Bot,
  BotScenario,
  HttpRequestSpec,
  HttpScenario,
  ParamValue,
  Params,
  Scenario,
  ServerSpec,
} from './scenario.ts';
export { loadScenario, resolveScenarioPath, ScenarioError, SCENARIO_DIR } from './load-scenario.ts';
export type { AreaSpec } from '../driver/bot-driver.ts';
