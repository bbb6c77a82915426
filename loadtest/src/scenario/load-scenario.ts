// Finds a scenario by name (loadtest/scenarios/<name>.ts) or path and checks its shape.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from './scenario.ts';

export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export class ScenarioError extends Error {
  readonly code = 'LOADTEST_SCENARIO';
}

/** Absolute path of a scenario given by name or path; throws with the list of known names. */
export function resolveScenarioPath(nameOrPath: string, cwd = process.cwd()): string {
  const candidates = /[\\/]|\.ts$|\.js$/.test(nameOrPath)
    ? [isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath)]
    : [resolve(SCENARIO_DIR, `${nameOrPath}.ts`)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new ScenarioError(
      `no scenario "${nameOrPath}": give a name from loadtest/scenarios/ or a path to a scenario file`,
    );
  }
  return found;
}

export async function loadScenario(path: string): Promise<Scenario> {
  const mod = (await import(pathToFileURL(path).href)) as { default?: Scenario };
  const s = mod.default;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string') {
    throw new ScenarioError(`${path} must export default defineScenario({...}) or defineHttpScenario({...})`);
  }
  if (s.kind !== 'http' && typeof s.step !== 'function') {
    throw new ScenarioError(`${path}: a bot scenario needs a step(bot, state) function`);
  }
  if (s.kind === 'http' && typeof s.requests !== 'function') {
    throw new ScenarioError(`${path}: an http scenario needs a requests(params) function`);
  }
  return s;
}
