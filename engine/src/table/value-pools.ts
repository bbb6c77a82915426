// Pools for variable-size values (string, identity, bytes): columns store small integer ids so rows
// stay fixed-width. Strings are interned with reference counts; ids whose count drops to zero are
// freed only at tick end, because a rollback may still write the old id back.
import { hashString, hashBytes } from './hash-mix.ts';

export class StringPool {
  private readonly ids = new Map<string, number>();
  values: (string | null)[] = [''];
  refs: number[] = [1 << 30]; // id 0 is the empty string, never freed
  hashLo: number[] = [hashString('', 0)];
  hashHi: number[] = [hashString('', 1)];
  private free: number[] = [];
  private zeroed: number[] = [];

  constructor() { this.ids.set('', 0); }

  /** The id of `s` if it is stored anywhere, else -1 (lookups never intern). */
  lookup(s: string): number {
    const id = this.ids.get(s);
    return id === undefined ? -1 : id;
  }

  /** Interns `s` and takes a reference. */
  acquire(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.free.length > 0 ? this.free.pop()! : this.values.length;
      this.values[id] = s;
      this.refs[id] = 0;
      this.hashLo[id] = hashString(s, 0);
      this.hashHi[id] = hashString(s, 1);
      this.ids.set(s, id);
    }
    this.refs[id]!++;
    return id;
  }

  retain(id: number): void { this.refs[id]!++; }

  release(id: number): void {
    if (--this.refs[id]! === 0) this.zeroed.push(id);
  }

  get(id: number): string { return this.values[id]!; }

  /** Tick end: forget strings nobody references any more. */
  collect(): void {
    for (const id of this.zeroed) {
      if (this.refs[id] !== 0 || this.values[id] === null) continue;
      this.ids.delete(this.values[id]!);
      this.values[id] = null;
      this.free.push(id);
    }
    this.zeroed.length = 0;
  }

  get size(): number { return this.ids.size; }

  export(): { values: (string | null)[]; refs: number[] } {
    return { values: this.values.slice(), refs: this.refs.slice() };
  }

  import(img: { values: (string | null)[]; refs: number[] }): void {
    this.ids.clear();
    this.values = img.values.slice();
    this.refs = img.refs.slice();
    this.free = [];
    this.zeroed = [];
    this.hashLo = [];
    this.hashHi = [];
    for (let id = 0; id < this.values.length; id++) {
      const s = this.values[id];
      if (s === null || s === undefined) { this.free.push(id); this.values[id] = null; continue; }
      this.ids.set(s, id);
      this.hashLo[id] = hashString(s, 0);
      this.hashHi[id] = hashString(s, 1);
    }
    this.free.reverse();
  }
}

/** Byte blobs are not deduplicated: each write stores its own copy under a fresh id. */
export class BlobPool {
  values: (Uint8Array | null)[] = [new Uint8Array(0)];
  refs: number[] = [1 << 30];
  hashLo: number[] = [hashBytes(new Uint8Array(0), 0)];
  hashHi: number[] = [hashBytes(new Uint8Array(0), 1)];
  private free: number[] = [];
  private zeroed: number[] = [];

  acquire(b: Uint8Array): number {
    if (b.length === 0) { this.refs[0]!++; return 0; }
    const id = this.free.length > 0 ? this.free.pop()! : this.values.length;
    this.values[id] = b.slice();
    this.refs[id] = 1;
    this.hashLo[id] = hashBytes(b, 0);
    this.hashHi[id] = hashBytes(b, 1);
    return id;
  }
  retain(id: number): void { this.refs[id]!++; }
  release(id: number): void { if (--this.refs[id]! === 0) this.zeroed.push(id); }
  get(id: number): Uint8Array { return this.values[id]!; }
  collect(): void {
    for (const id of this.zeroed) {
      if (this.refs[id] !== 0 || this.values[id] === null) continue;
      this.values[id] = null;
      this.free.push(id);
    }
    this.zeroed.length = 0;
  }
  export(): { values: (Uint8Array | null)[]; refs: number[] } {
    return { values: this.values.slice(), refs: this.refs.slice() };
  }
  import(img: { values: (Uint8Array | null)[]; refs: number[] }): void {
    this.values = img.values.slice();
    this.refs = img.refs.slice();
    this.free = [];
    this.zeroed = [];
    this.hashLo = [];
    this.hashHi = [];
    for (let id = 0; id < this.values.length; id++) {
      const b = this.values[id];
      if (!b) { this.free.push(id); this.values[id] = null; continue; }
      this.hashLo[id] = hashBytes(b, 0);
      this.hashHi[id] = hashBytes(b, 1);
    }
    this.free.reverse();
  }
}
