import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { SCENARIO_DIR, ScenarioError, loadScenario, resolveScenarioPath } from './load-scenario.ts';
import { readRunConfig } from '../cli/run-config.ts';

const names = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.ts') && f !== 'servers.ts').map((f) => f.replace(/\.ts$/, ''));

describe('scenario files', () => {
  it('ships the documented scenarios', () => {
    expect(names.sort()).toEqual(['chat-storm', 'connect-storm', 'game-mix', 'http', 'scene', 'slow-readers', 'transfer', 'wander']);
  });

  it.each(names)('%s loads, is well-formed and names a server for each target', async (name) => {
    const s = await loadScenario(resolveScenarioPath(name));
    expect(s.name).toBe(name);
    expect(s.description.length).toBeGreaterThan(10);
    for (const target of s.targets ?? ['worldline']) expect(s.servers?.[target]?.command.join(' ')).toContain('{port}');
    if (s.kind !== 'http') expect(s.stepMs).toBeGreaterThan(0);
  });

  it('says what to do about an unknown scenario or a bad compare config', () => {
    expect(() => resolveScenarioPath('nope')).toThrow(ScenarioError);
    expect(() => resolveScenarioPath('nope')).toThrow(/loadtest\/scenarios/);
    expect(() => readRunConfig('/no/such/file.json', '/')).toThrow(/cannot read compare config/);
    expect(readRunConfig('colyseus', '/')).toEqual({ target: 'colyseus', label: 'colyseus' });
  });
});
