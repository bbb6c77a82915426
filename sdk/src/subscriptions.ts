// The client's live subscriptions and areas, by query id: sent again on every new connection, and
// tracked while a resync waits for each of them to be answered.
import { ClientError } from './errors.ts';
import { entryFrame } from './query-frames.ts';
import type { ClientState, Frame } from '@worldline/engine/protocol/index.ts';

/** A query subscription: `ready` settles once the server has sent its rows (or refused it). */
export interface Subscription {
  readonly id: number;
  readonly ready: Promise<void>;
  /** Stops it; rows no other subscription covers leave through later updates (onDelete). */
  unsubscribe(): void;
}

/** An area of interest: `set` moves or resizes it, `remove` drops it. */
export interface AreaSubscription<O> {
  readonly id: number;
  readonly ready: Promise<void>;
  set(options: O): void;
  remove(): void;
}

/** The untyped shape behind AreaOptions (types.ts). */
export interface AreaSpec {
  readonly table: string;
  readonly x?: number;
  readonly y?: number;
  readonly radius?: number;
  readonly rect?: { readonly halfWidth: number; readonly halfHeight: number };
  readonly follow?: unknown;
  readonly margin?: number;
}

export interface Entry {
  readonly id: number;
  readonly table: string;
  readonly filter: Readonly<Record<string, unknown>> | null;
  /** Areas only; replaced by AreaSubscription.set. */
  area: AreaSpec | null;
  /** ready is settled (first rows applied, or refused). */
  settled: boolean;
  /** Rows applied on the current connection, but listeners not yet told (during a resync). */
  appliedUnannounced: boolean;
  resolve(): void;
  reject(err: ClientError): void;
  readonly ready: Promise<void>;
}

export interface SubscriptionHost {
  /** The tables of the connection frames go to (the one syncing, else the one shown); null while
   * there is no connection to send on. */
  liveState(): ClientState | null;
  isSyncing(): boolean;
  send(frame: Frame): void;
  /** Every subscription sent at the start of a resync has been answered. */
  syncDone(): void;
  reportError(err: ClientError): void;
}

export function newEntry(id: number, table: string, filter: Record<string, unknown> | null, area: AreaSpec | null): Entry {
  let resolve!: () => void, reject!: (e: ClientError) => void;
  const ready = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  // Failures are also reported through the client's 'error' event: an ignored `ready` must not
  // become an unhandled rejection.
  ready.catch(() => undefined);
  const e: Entry = {
    id, table, filter, area, settled: false, appliedUnannounced: false, ready,
    resolve: () => { if (!e.settled) { e.settled = true; resolve(); } },
    reject: (err) => { if (!e.settled) { e.settled = true; reject(err); } },
  };
  return e;
}

export class SubscriptionSet {
  private readonly entries = new Map<number, Entry>();
  /** Sent at the start of the current resync and not answered yet. */
  private readonly pending = new Set<number>();
  private nextId = 1;
  private closed: ClientError | null = null;

  constructor(private readonly host: SubscriptionHost) {}

  subscribe(table: string, filter: Record<string, unknown> | null): Subscription {
    const e = this.add(newEntry(this.nextId++, table, filter, null));
    return { id: e.id, ready: e.ready, unsubscribe: () => this.remove(e.id) };
  }

  area<O extends AreaSpec>(options: O): AreaSubscription<O> {
    const e = this.add(newEntry(this.nextId++, options.table, null, options));
    return {
      id: e.id, ready: e.ready,
      set: (o) => {
        if (!this.entries.has(e.id)) return;
        if (o.table !== e.table) throw new ClientError('BAD_ARGUMENTS', `area ${e.id} is on table '${e.table}'; remove it and create another for '${o.table}'`);
        e.area = o;
        const state = this.host.liveState();
        if (state) this.sendEntry(e, state, false);
      },
      remove: () => this.remove(e.id),
    };
  }

  /** A new connection said Welcome: sends every subscription. False when there is nothing to wait for. */
  resendAll(state: ClientState): boolean {
    this.pending.clear();
    for (const e of [...this.entries.values()]) this.sendEntry(e, state, true);
    return this.pending.size > 0;
  }

  /** The rows of `queryId` have been applied (during a resync: listeners are told later). */
  applied(queryId: number, duringSync: boolean): void {
    const e = this.entries.get(queryId);
    if (!duringSync) {
      e?.resolve();
      return;
    }
    if (e) e.appliedUnannounced = true;
    if (this.pending.delete(queryId) && this.pending.size === 0) this.host.syncDone();
  }

  /** The resync is visible: settle `ready` of the subscriptions it brought. */
  announce(): void {
    for (const e of this.entries.values()) {
      if (!e.appliedUnannounced) continue;
      e.appliedUnannounced = false;
      e.resolve();
    }
  }

  /** The server refused `queryId`; false if no such subscription. */
  refused(queryId: number, err: ClientError): boolean {
    const e = this.entries.get(queryId);
    if (!e) return false;
    this.fail(e, err);
    return true;
  }

  disconnected(): void {
    this.pending.clear();
  }

  closeAll(err: ClientError): void {
    this.closed = err;
    for (const e of this.entries.values()) e.reject(err);
  }

  private add(e: Entry): Entry {
    if (this.closed) {
      e.reject(this.closed);
      return e;
    }
    this.entries.set(e.id, e);
    const state = this.host.liveState();
    if (state) this.sendEntry(e, state, this.host.isSyncing());
    return e;
  }

  private sendEntry(e: Entry, state: ClientState, duringSync: boolean): void {
    let frame: Frame;
    try {
      frame = entryFrame(e, state);
    } catch (err) {
      this.fail(e, err instanceof ClientError ? err : new ClientError('BAD_ARGUMENTS', String(err), { queryId: e.id }));
      return;
    }
    if (duringSync) this.pending.add(e.id);
    this.host.send(frame);
  }

  private remove(id: number): void {
    if (!this.entries.delete(id)) return;
    if (this.host.liveState()) this.host.send({ type: 'unsubscribe', queryId: id });
    this.settlePending(id);
  }

  private fail(e: Entry, err: ClientError): void {
    this.entries.delete(e.id);
    const wasSettled = e.settled;
    e.reject(err);
    if (wasSettled) this.host.reportError(err);
    this.settlePending(e.id);
  }

  private settlePending(id: number): void {
    if (this.pending.delete(id) && this.pending.size === 0 && this.host.isSyncing()) this.host.syncDone();
  }
}
