// Resolves a driver name ("worldline", "colyseus") or a module path to a BotDriver.

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BotDriver, DriverFactory } from './bot-driver.ts';

const BUILT_IN: Record<string, string> = {
  worldline: new URL('./worldline-driver.ts', import.meta.url).href,
  colyseus: new URL('../../baselines/colyseus/bot-driver.ts', import.meta.url).href,
};

export class DriverError extends Error {
  readonly code = 'LOADTEST_DRIVER';
}

export async function loadDriver(nameOrPath: string, cwd = process.cwd()): Promise<BotDriver> {
  const href =
    BUILT_IN[nameOrPath] ?? pathToFileURL(isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath)).href;
  const mod = (await import(href)) as { default?: DriverFactory };
  if (typeof mod.default !== 'function') {
    throw new DriverError(`driver module ${nameOrPath} must export a default function returning a BotDriver`);
  }
  return await mod.default();
}
