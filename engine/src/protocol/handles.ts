// Row handles: each connection numbers the rows it can see, per table, with small integers, so
// updates and deletes name a row in a byte or two instead of its primary key. HandleSpace allocates
// them (free-list reuse keeps them dense); HandleList collects a client's (handle, piece) pairs.
import { ProtocolError } from './errors.ts';
import { DEFAULT_LIMITS } from './limits.ts';

export class HandleSpace {
  private free = new Int32Array(64);
  private freeCount = 0;
  private next = 0;

  constructor(private readonly maxHandles = DEFAULT_LIMITS.maxHandles) {}

  /** A handle for a row entering the client's view (announce it with an insert). */
  alloc(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    if (this.next >= this.maxHandles) {
      throw new ProtocolError('BAD_HANDLE', `a client sees more than ${this.maxHandles} rows of one table; narrow its subscriptions`);
    }
    return this.next++;
  }

  /** Frees a handle (announce it with a delete); it may be reused by an insert in the same frame. */
  release(handle: number): void {
    if (this.freeCount === this.free.length) {
      const f = new Int32Array(this.free.length * 2);
      f.set(this.free);
      this.free = f;
    }
    this.free[this.freeCount++] = handle;
  }

  /** Handles in use. */
  get size(): number {
    return this.next - this.freeCount;
  }

  /** One past the highest handle ever handed out. */
  get highWater(): number {
    return this.next;
  }

  /** Frees everything (after a resync frame with reset). */
  clear(): void {
    this.freeCount = 0;
    this.next = 0;
  }
}

/** A growable list of (handle, piece id) pairs, cleared and refilled every tick. */
export class HandleList {
  handles: Int32Array;
  pieces: Int32Array;
  length = 0;

  constructor(initial = 16) {
    this.handles = new Int32Array(initial);
    this.pieces = new Int32Array(initial);
  }

  push(handle: number, piece = -1): void {
    if (this.length === this.handles.length) {
      const h = new Int32Array(this.length * 2);
      const p = new Int32Array(this.length * 2);
      h.set(this.handles);
      p.set(this.pieces);
      this.handles = h;
      this.pieces = p;
    }
    this.handles[this.length] = handle;
    this.pieces[this.length++] = piece;
  }

  clear(): void {
    this.length = 0;
  }
}
