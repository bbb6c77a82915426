// Writes a run (or a comparison) to <out>/<timestamp>/result.json and report.html.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareResult, RunResult } from './result.ts';
import { renderReport } from './html.ts';

/** 2025-01-31T12-00-00Z style: sortable and safe in every file system. */
export function timestampDir(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function writeResult(outRoot: string, result: RunResult | CompareResult, html: boolean, name = timestampDir()): string {
  const dir = join(outRoot, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 1)}\n`);
  if (html) writeFileSync(join(dir, 'report.html'), renderReport(result));
  return dir;
}
