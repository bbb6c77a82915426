// What a tick hands to the commit hook and the publishers. Its inputs are built as objects only
// when read: a world that logs nothing never allocates one per call.
import type { ChangeSet } from '../tx/change-set.ts';
import { WorldlineError } from '../errors/index.ts';
import type { CallQueue } from './call-queue.ts';
import type { CallResult, TickInput, TickReport } from './types.ts';

export class Report implements TickReport {
  private built: TickInput[] | null;
  private readonly generation: number;

  constructor(
    readonly tick: number,
    readonly time: number,
    readonly seed: number,
    readonly hash: string,
    readonly results: CallResult[],
    readonly changes: ChangeSet,
    readonly startedAt: number,
    private readonly queue: CallQueue,
    logged: TickInput[] | null,
  ) {
    this.built = logged;
    this.generation = queue.generation;
  }

  /** The tick's inputs in order. Read them before the next tick runs (the commit hook, a publisher,
   * right after step()): after that the queue holding them has been reused. */
  get inputs(): TickInput[] {
    if (this.built === null) {
      if (this.queue.generation !== this.generation)
        throw new WorldlineError('INTERNAL', `the inputs of tick ${this.tick} were first read after a later tick ran; read them in the commit hook, a publisher or right after step()`);
      this.built = this.queue.inputs();
    }
    return this.built;
  }
}
