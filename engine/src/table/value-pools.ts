// Pools for variable-size values (string, identity, bytes): columns store small integer ids so rows
// stay fixed-width. Values are reference-counted; ids whose count drops to zero are freed only at
// tick end, because a rollback may still write the old id back.
import { hashString, hashBytes } from './hash-mix.ts';

export interface PoolImage<T> { values: (T | null)[]; refs: number[] }

/** Id allocation, reference counts, deferred freeing and images: what both pools share. */
abstract class RefPool<T> {
  values: (T | null)[];
  refs: number[] = [1 << 30]; // id 0 is the empty value, never freed
  hashLo: number[];
  hashHi: number[];
  protected free: number[] = [];
  private zeroed: number[] = [];

  constructor(empty: T) {
    this.values = [empty];
    this.hashLo = [this.hash(empty, 0)];
    this.hashHi = [this.hash(empty, 1)];
  }

  /** Content hash of a value, per lane: the world hash uses it, so equal values hash equally. */
  protected abstract hash(v: T, lane: number): number;
  /** A value was stored under `id` / forgotten (subclasses keep their lookup maps in step). */
  protected abstract stored(id: number, v: T): void;
  protected abstract forgotten(id: number, v: T): void;

  protected store(v: T): number {
    const id = this.free.length > 0 ? this.free.pop()! : this.values.length;
    this.values[id] = v;
    this.refs[id] = 0;
    this.hashLo[id] = this.hash(v, 0);
    this.hashHi[id] = this.hash(v, 1);
    this.stored(id, v);
    return id;
  }

  retain(id: number): void { this.refs[id]!++; }

  release(id: number): void {
    if (--this.refs[id]! === 0) this.zeroed.push(id);
  }

  get(id: number): T { return this.values[id]!; }

  /** Tick end: forget values nobody references any more. */
  collect(): void {
    for (const id of this.zeroed) {
      const v = this.values[id];
      if (this.refs[id] !== 0 || v === null || v === undefined) continue;
      this.forgotten(id, v);
      this.values[id] = null;
      this.free.push(id);
    }
    this.zeroed.length = 0;
  }

  export(): PoolImage<T> {
    return { values: this.values.slice(), refs: this.refs.slice() };
  }

  import(img: PoolImage<T>): void {
    this.values = img.values.slice();
    this.refs = img.refs.slice();
    this.free = [];
    this.zeroed = [];
    this.hashLo = [];
    this.hashHi = [];
    for (let id = 0; id < this.values.length; id++) {
      const v = this.values[id];
      if (v === null || v === undefined) { this.free.push(id); this.values[id] = null; continue; }
      this.hashLo[id] = this.hash(v, 0);
      this.hashHi[id] = this.hash(v, 1);
      this.stored(id, v);
    }
    this.free.reverse();
  }
}

/** Strings (and identities) are interned: equal strings share an id. */
export class StringPool extends RefPool<string> {
  private ids!: Map<string, number>;

  constructor() {
    super('');
    this.ids = new Map([['', 0]]);
  }

  protected hash(v: string, lane: number): number { return hashString(v, lane); }
  protected stored(id: number, v: string): void { this.ids.set(v, id); }
  protected forgotten(_id: number, v: string): void { this.ids.delete(v); }

  /** The id of `s` if it is stored anywhere, else -1 (lookups never intern). */
  lookup(s: string): number {
    const id = this.ids.get(s);
    return id === undefined ? -1 : id;
  }

  /** Interns `s` and takes a reference. */
  acquire(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) id = this.store(s);
    this.refs[id]!++;
    return id;
  }

  get size(): number { return this.ids.size; }

  override import(img: PoolImage<string>): void {
    this.ids = new Map();
    super.import(img);
  }
}

/** Byte blobs are not deduplicated: each write stores its own copy under a fresh id. */
export class BlobPool extends RefPool<Uint8Array> {
  constructor() { super(new Uint8Array(0)); }

  protected hash(v: Uint8Array, lane: number): number { return hashBytes(v, lane); }
  protected stored(): void {}
  protected forgotten(): void {}

  acquire(b: Uint8Array): number {
    if (b.length === 0) { this.refs[0]!++; return 0; }
    const id = this.store(b.slice());
    this.refs[id] = 1;
    return id;
  }
}
