// <dataDir>/world.json: what is needed to rebuild tick 0 of a world (its seed) and which module
// created it. Written once, atomically, when a data directory is first used.

import fs from 'node:fs';
import path from 'node:path';
import { fsyncDirSync } from './fs-util.ts';
import { DurabilityError } from './errors.ts';

/** The data directory's format. 2: world hashes (in log records and snapshots) are keyed by slot. */
export const DATA_FORMAT = 2;

export interface WorldMeta {
  format: typeof DATA_FORMAT;
  seed: number;
  createdAt: number;
  /** Module version hash at creation (the log segments record later versions). */
  versionHash: string;
}

export function readWorldMeta(dataDir: string): WorldMeta | undefined {
  const file = path.join(dataDir, 'world.json');
  if (!fs.existsSync(file)) return undefined;
  let meta: Partial<WorldMeta> | null;
  try {
    meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WorldMeta> | null;
  } catch (e) {
    throw new DurabilityError('META_CORRUPT', `${file} is unreadable (${(e as Error).message}); it names the world's seed, which replay needs`);
  }
  if (meta === null || typeof meta !== 'object' || typeof meta.seed !== 'number' || typeof meta.versionHash !== 'string')
    throw new DurabilityError('META_CORRUPT', `${file} lacks the world's seed or module version; it was not written by worldline`);
  if (meta.format !== DATA_FORMAT)
    throw new DurabilityError(
      'VERSION_MISMATCH',
      `${dataDir} holds data format ${String(meta.format)}, this engine reads format ${DATA_FORMAT} (world hashes are keyed by slot since format 2, ` +
        `so older logs and snapshots would fail their hash checks). Open it with the engine that wrote it, or use a new data directory.`,
    );
  return meta as WorldMeta;
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
