// Snapshots kept in memory ('memory' setting): used by time travel and restore; gone with the process.

import { DurabilityError } from './errors.ts';
import type { SnapshotMeta } from './snapshot-format.ts';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.ts';

export class MemorySnapshotStore implements SnapshotStore {
  private readonly snaps = new Map<number, StoredSnapshot>();

  constructor(private readonly keep: number) {
    if (!(keep >= 1)) throw new DurabilityError('BAD_OPTION', `keepSnapshots must be at least 1 (got ${keep})`);
  }

  save(meta: SnapshotMeta, image: unknown): Promise<boolean> {
    this.snaps.set(meta.tick, { meta, image });
    const ticks = this.list();
    for (let i = 0; i < ticks.length - this.keep; i++) this.snaps.delete(ticks[i]);
    return Promise.resolve(true);
  }

  list(): number[] {
    return [...this.snaps.keys()].sort((a, b) => a - b);
  }

  loadNewest(maxTick = Infinity, accept?: (s: StoredSnapshot) => void): StoredSnapshot | undefined {
    const ticks = this.list().filter((t) => t <= maxTick);
    for (let i = ticks.length - 1; i >= 0; i--) {
      const snap = this.snaps.get(ticks[i])!;
      try {
        accept?.(snap);
        return snap;
      } catch {
        this.snaps.delete(ticks[i]);
      }
    }
    return undefined;
  }

  setAsideAfter(tick: number): void {
    for (const t of this.list()) if (t > tick) this.snaps.delete(t);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
