// A tick's inputs in parallel arrays, reused tick after tick: queueing a call allocates nothing (no
// input object, no array growth once the arrays have reached the world's usual tick size). Input
// objects (TickInput) are built only when someone asks for them: the replay log, a test.
import type { Identity } from '../schema/column.ts';
import type { ReducerDef } from '../module/define.ts';
import type { CallResult, TickInput } from './types.ts';
import { WorldlineError } from '../errors/index.ts';

/** Receives a call's result and the tag it was enqueued with (e.g. a request id). */
export type Callback = ((r: CallResult, tag: number) => void) | null;
export type AnyReducer = ReducerDef<never, never> & { fn: (ctx: unknown, args: unknown) => unknown };

export const IN_CALL = 0, IN_INIT = 1, IN_CONNECT = 2, IN_DISCONNECT = 3;
const KIND_NAMES = ['call', 'init', 'connect', 'disconnect'] as const;

export class CallQueue {
  length = 0;
  /** Bumped each time the queue is emptied for reuse: a report's inputs tell stale from current. */
  generation = 0;
  kind = new Uint8Array(64);
  conn = new Float64Array(64);
  tag = new Float64Array(64);
  reducer: string[] = packed(64, '');
  /** The reducer enqueue() found and validated; null for lifecycle inputs and logged ones. */
  fn: (AnyReducer | null)[] = packed<AnyReducer | null>(64, null);
  sender: Identity[] = packed(64, '');
  args: unknown[] = packed<unknown>(64, undefined);
  cb: Callback[] = packed<Callback>(64, null);

  push(kind: number, reducer: string, fn: AnyReducer | null, sender: Identity, conn: number, args: unknown, cb: Callback, tag: number): void {
    const i = this.length;
    if (i === this.kind.length) this.grow();
    this.kind[i] = kind; this.reducer[i] = reducer; this.fn[i] = fn; this.sender[i] = sender;
    this.conn[i] = conn; this.args[i] = args; this.cb[i] = cb; this.tag[i] = tag;
    this.length = i + 1;
  }

  /** An input given as an object (a connect or disconnect, every input of a logged tick): with no
   * reducer attached, a call is looked up and its arguments checked when it runs. */
  pushInput(input: TickInput): void {
    const k = KIND_NAMES.indexOf(input.k);
    if (k < 0) throw new WorldlineError('INTERNAL', `a logged input has unknown kind ${JSON.stringify(input.k)}`);
    this.push(k, input.k === 'call' ? input.reducer : '', null, input.sender, input.conn, input.k === 'call' ? input.args : undefined, null, 0);
  }

  /** Puts a lifecycle input in front of the queued ones (init: once in a world's life). */
  unshift(kind: number, sender: Identity, conn: number): void {
    this.push(kind, '', null, sender, conn, undefined, null, 0);
    const n = this.length - 1;
    this.kind.copyWithin(1, 0, n); this.conn.copyWithin(1, 0, n); this.tag.copyWithin(1, 0, n);
    for (const a of [this.reducer, this.fn, this.sender, this.args, this.cb] as unknown[][]) a.copyWithin(1, 0, n);
    this.kind[0] = kind; this.reducer[0] = ''; this.fn[0] = null; this.sender[0] = sender;
    this.conn[0] = conn; this.args[0] = undefined; this.cb[0] = null; this.tag[0] = 0;
  }

  /** The end of the run of calls, or of lifecycle inputs, that starts at `i`. */
  runEnd(i: number): number {
    const kind = this.kind, n = this.length, call = kind[i] === IN_CALL;
    let j = i + 1;
    while (j < n && (kind[j] === IN_CALL) === call) j++;
    return j;
  }

  input(i: number): TickInput {
    const k = this.kind[i]!;
    if (k === IN_CALL) return { k: 'call', reducer: this.reducer[i]!, sender: this.sender[i]!, conn: this.conn[i]!, args: this.args[i] };
    return { k: KIND_NAMES[k]!, sender: this.sender[i]!, conn: this.conn[i]! } as TickInput;
  }

  inputs(): TickInput[] {
    const out: TickInput[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.input(i);
    return out;
  }

  /** Empties the queue for reuse, dropping its references (arguments, callbacks) for the collector. */
  clear(): void {
    const n = this.length, fn = this.fn, args = this.args, cb = this.cb;
    // Strings need no clearing: the names and identities they hold are long-lived anyway.
    for (let i = 0; i < n; i++) { fn[i] = null; args[i] = undefined; cb[i] = null; }
    this.length = 0;
    this.generation++;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const k = new Uint8Array(n); k.set(this.kind); this.kind = k;
    const c = new Float64Array(n); c.set(this.conn); this.conn = c;
    const t = new Float64Array(n); t.set(this.tag); this.tag = t;
    pad(this.reducer, n, ''); pad(this.fn, n, null); pad(this.sender, n, ''); pad(this.args, n, undefined); pad(this.cb, n, null);
  }
}

/** An array of n copies of v, built by push so it stays packed (holey arrays take slower paths). */
function packed<T>(n: number, v: T): T[] {
  return pad([], n, v);
}

function pad<T>(a: T[], n: number, v: T): T[] {
  while (a.length < n) a.push(v);
  return a;
}
