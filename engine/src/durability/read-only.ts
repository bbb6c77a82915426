// Opens a data directory for inspection (replay CLI, viewers): nothing on disk is repaired, moved
// or written, even when the log tail is damaged.

import type { ModuleDef } from '../module/define.ts';
import { FileReplayLog } from './file-log.ts';
import type { ReplaySource } from './replayer.ts';
import { FileSnapshotStore } from './snapshot-store.ts';
import type { DurabilityLogger } from './types.ts';
import { readWorldMeta } from './world-meta.ts';

export interface ReadOnlyData<M extends ModuleDef = ModuleDef> extends ReplaySource<M> {
  /** Module version hash the data was written with (newest segment, else world.json). */
  storedVersionHash: string | undefined;
  log: FileReplayLog;
  snapshots: FileSnapshotStore;
}

export function openReadOnly<M extends ModuleDef>(dataDir: string, module: M, logger: DurabilityLogger): ReadOnlyData<M> {
  const meta = readWorldMeta(dataDir);
  const log = FileReplayLog.open({ dataDir, mode: 'os', versionHash: module.versionHash, logger, readOnly: true });
  const snapshots = new FileSnapshotStore({ dataDir, fsync: false, keep: Number.MAX_SAFE_INTEGER, logger, readOnly: true });
  return { module, seed: meta?.seed ?? 0x5eed, log, snapshots, storedVersionHash: log.storedVersionHash ?? meta?.versionHash };
}
