// Reducer calls: each returns a promise settled by the server's CallResultBatch. Calls made in the
// same turn share one CallBatch frame. While the client is not connected (or still resyncing) calls
// wait in a bounded queue and go out once it is; calls already sent when the connection drops are
// rejected with CONNECTION_LOST, because the client cannot know whether they ran.
import { Encoder } from '@msgpack/msgpack';
import { ClientError } from './errors.ts';
import type { CallReducer, CallResultsFrame } from '@worldline/engine/protocol/index.ts';

export interface CallHost {
  /** Connected and synced: calls may be sent now. */
  canSend(): boolean;
  /** The reducer's id from Welcome, or undefined if the server has no such reducer. */
  reducerId(name: string): number | undefined;
  sendCalls(calls: readonly CallReducer[]): void;
}

interface PendingCall {
  requestId: number;
  readonly reducer: string;
  readonly args: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (err: ClientError) => void;
}

/** A batch is split so one frame stays well under servers' inbound frame limit (default 64 KiB). */
const MAX_BATCH_ARG_BYTES = 32 * 1024;
const MAX_BATCH_CALLS = 1024;
const EMPTY_ARGS = new Uint8Array(0);

export class CallManager {
  private readonly encoder = new Encoder({ ignoreUndefined: true });
  /** Waiting for a connection. */
  private queue: PendingCall[] = [];
  /** To be sent at the end of this turn. */
  private batch: PendingCall[] = [];
  private flushScheduled = false;
  private readonly inFlight = new Map<number, PendingCall>();
  private nextId = 1;

  constructor(private readonly host: CallHost, private readonly maxQueued: number) {}

  get queued(): number {
    return this.queue.length;
  }

  get pending(): number {
    return this.inFlight.size + this.batch.length;
  }

  call(reducer: string, args: object | undefined, closed: ClientError | null): Promise<void> {
    if (closed) return Promise.reject(closed);
    let bytes: Uint8Array;
    try {
      bytes = args === undefined ? EMPTY_ARGS : this.encoder.encode(args);
    } catch (e) {
      return Promise.reject(new ClientError('BAD_ARGUMENTS', `arguments of ${reducer} cannot be encoded: ${(e as Error).message}`, { reducer, cause: e }));
    }
    return new Promise<void>((resolve, reject) => {
      const call: PendingCall = { requestId: 0, reducer, args: bytes, resolve, reject };
      if (this.host.canSend()) this.enqueueBatch(call);
      else if (this.queue.length >= this.maxQueued) {
        reject(new ClientError('QUEUE_FULL', `${this.queue.length} calls are already waiting for the connection; wait for 'connect'/'reconnect' or raise maxQueuedCalls`, { reducer }));
      } else this.queue.push(call);
    });
  }

  private enqueueBatch(call: PendingCall): void {
    this.batch.push(call);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Connected and synced: sends what waited. */
  connected(): void {
    const q = this.queue;
    this.queue = [];
    for (const c of q) this.enqueueBatch(c);
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (!this.host.canSend()) {
      // The connection dropped in this very turn: nothing was sent, so the calls wait again.
      this.queue.unshift(...batch);
      return;
    }
    let out: CallReducer[] = [];
    let bytes = 0;
    for (const c of batch) {
      const id = this.host.reducerId(c.reducer);
      if (id === undefined) {
        c.reject(new ClientError('UNKNOWN_REDUCER', `the server has no reducer '${c.reducer}' (is the client built against this module version?)`, { reducer: c.reducer }));
        continue;
      }
      c.requestId = this.allocId();
      this.inFlight.set(c.requestId, c);
      out.push({ requestId: c.requestId, reducerId: id, reducerName: null, args: c.args });
      bytes += c.args.length;
      if (bytes > MAX_BATCH_ARG_BYTES || out.length >= MAX_BATCH_CALLS) {
        this.host.sendCalls(out);
        out = [];
        bytes = 0;
      }
    }
    if (out.length > 0) this.host.sendCalls(out);
  }

  private allocId(): number {
    let id = this.nextId;
    while (this.inFlight.has(id)) id = id >= 0xffffffff ? 1 : id + 1;
    this.nextId = id >= 0xffffffff ? 1 : id + 1;
    return id;
  }

  results(frame: CallResultsFrame): void {
    for (const id of frame.ok) {
      const c = this.inFlight.get(id);
      if (!c) continue;
      this.inFlight.delete(id);
      c.resolve();
    }
    for (const f of frame.failed) this.fail(f.requestId, f.code, f.message);
  }

  /** Rejects call `requestId` with a server error; false if no such call is in flight. */
  fail(requestId: number, code: string, message: string): boolean {
    const c = this.inFlight.get(requestId);
    if (!c) return false;
    this.inFlight.delete(requestId);
    c.reject(new ClientError(code, `${c.reducer}: ${message}`, { reducer: c.reducer, requestId }));
    return true;
  }

  /** The connection dropped: calls in flight are lost (they may or may not have run). */
  disconnected(): void {
    for (const c of this.inFlight.values()) {
      c.reject(new ClientError('CONNECTION_LOST', `${c.reducer}: the connection dropped before the server answered; the call may or may not have run`, { reducer: c.reducer, requestId: c.requestId }));
    }
    this.inFlight.clear();
  }

  /** The client is closed for good: every call still waiting is rejected with `err`. */
  closeAll(err: ClientError): void {
    this.disconnected();
    for (const c of [...this.queue, ...this.batch]) c.reject(err);
    this.queue = [];
    this.batch = [];
  }
}
