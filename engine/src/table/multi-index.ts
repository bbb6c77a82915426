// Non-unique secondary indexes: value -> slots. 'hash' answers equality; 'btree' (sorted-btree) also
// answers ordered range scans. Buckets are small arrays; slots move on swap-remove, so relabel().
import BTreeModule from 'sorted-btree';

// sorted-btree ships CommonJS with the class as `default`; normalise for ESM and tsx alike.
const BTree = ((BTreeModule as unknown as { default?: typeof BTreeModule }).default ?? BTreeModule) as typeof BTreeModule;

interface BucketStore {
  get(key: number): number[] | undefined;
  set(key: number, bucket: number[]): void;
  delete(key: number): void;
}

export class MultiIndex {
  private readonly store: BucketStore;
  private readonly tree: InstanceType<typeof BTree<number, number[]>> | null;

  constructor(readonly kind: 'hash' | 'btree') {
    if (kind === 'btree') {
      this.tree = new BTree<number, number[]>(undefined, (a: number, b: number) => a - b);
      this.store = this.tree as unknown as BucketStore;
    } else {
      this.tree = null;
      this.store = new Map<number, number[]>();
    }
  }

  add(key: number, slot: number): void {
    const b = this.store.get(key);
    if (b) b.push(slot);
    else this.store.set(key, [slot]);
  }

  remove(key: number, slot: number): void {
    const b = this.store.get(key);
    if (!b) return;
    const i = b.indexOf(slot);
    if (i < 0) return;
    b[i] = b[b.length - 1]!;
    b.pop();
    if (b.length === 0) this.store.delete(key);
  }

  relabel(key: number, from: number, to: number): void {
    const b = this.store.get(key);
    if (!b) return;
    const i = b.indexOf(from);
    if (i >= 0) b[i] = to;
  }

  // Results come in a canonical order — key order, then slot order — never in bucket order: bucket
  // order depends on the history of swaps, which a world reloaded from a snapshot does not share,
  // and game code that takes "the first item" must pick the same one in a replay.

  /** Slots whose value equals `key`, ascending (a fresh array). */
  get(key: number): number[] {
    const b = this.store.get(key);
    return b ? b.slice().sort(ascending) : [];
  }

  /** Calls `fn` for each slot whose value is in [lo, hi], in key order, then slot order (btree only). */
  range(lo: number, hi: number, fn: (slot: number) => void): void {
    if (!this.tree) throw new Error('range() needs a btree index');
    this.tree.forRange(lo, hi, true, (_k: number, bucket: number[]) => {
      const sorted = bucket.length > 1 ? bucket.slice().sort(ascending) : bucket;
      for (let i = 0; i < sorted.length; i++) fn(sorted[i]!);
    });
  }

  clear(): void {
    if (this.tree) this.tree.clear();
    else (this.store as Map<number, number[]>).clear();
  }
}

const ascending = (a: number, b: number): number => a - b;
