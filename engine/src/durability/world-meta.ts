// <dataDir>/world.json: what is needed to rebuild tick 0 of a world (its seed) and which module
// created it. Written once, atomically, when a data directory is first used.

import fs from 'node:fs';
import path from 'node:path';
import { fsyncDirSync } from './fs-util.ts';

export interface WorldMeta {
  format: 1;
  seed: number;
  createdAt: number;
  /** Module version hash at creation (the log segments record later versions). */
  versionHash: string;
}

export function readWorldMeta(dataDir: string): WorldMeta | undefined {
  const file = path.join(dataDir, 'world.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as WorldMeta;
}

export function writeWorldMeta(dataDir: string, meta: WorldMeta, durable: boolean): void {
  const file = path.join(dataDir, 'world.json');
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(meta, null, 2) + '\n');
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (durable) fsyncDirSync(dataDir);
}
