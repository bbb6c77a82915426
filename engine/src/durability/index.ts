// Durability: the replay log, snapshots, crash recovery and time travel. What each setting promises
// after a crash is in docs/durability.md.

export { openDurableWorld, DurableWorld, type DurableWorldOptions, type WorldView, type RestoreEvent } from './durable-world.ts';
export type { RecoveryReport } from './recovery.ts';
export { DurabilityError, type DurabilityErrorCode } from './errors.ts';
export type { DurabilityMode, Retention, LogRecord, TickLogRecord, RestoreLogRecord, DurabilityLogger } from './types.ts';
export type { ReplayLog, DroppedData } from './log-api.ts';
export { FileReplayLog, type FileLogOptions } from './file-log.ts';
export { MemoryReplayLog } from './memory-log.ts';
export { FileSnapshotStore, type SnapshotStore, type StoredSnapshot, type FileSnapshotOptions } from './snapshot-store.ts';
export { MemorySnapshotStore } from './memory-snapshot-store.ts';
export type { SnapshotMeta } from './snapshot-format.ts';
export { worldAt, applyRecord, freshWorld, stopOnMismatch, type ReplaySource, type HashMismatch, type OnMismatch } from './replayer.ts';
export { verifyLog, type VerifyReport } from './verify.ts';
export { openReadOnly, type ReadOnlyData } from './read-only.ts';
export { findTickAtTime } from './tick-at-time.ts';
