// The values clients hold of each row: what the row looked like at the end of the previous publish.
// Delta encodings (integer and quantized-float deltas, bool flips) are relative to them, and the
// change set only has new values, so numeric, bool and enum columns are kept per row id and
// refreshed from the change set after every publish. Strings and bytes are not kept: codecs send
// them whole, and reading them returns the current value.
import type { TableStore } from '../table/table-store.ts';
import type { TableChanges } from '../tx/change-set.ts';
import type { RowRegistry } from './row-registry.ts';

/** Reads one row's previous values by column index (the shape of the protocol's RowReader). */
export interface PreviousRowReader {
  /** Points the reader at the row now in `slot` (valid during the publish callback). */
  at(slot: number): PreviousRowReader;
  read(column: number): number | boolean | string | Uint8Array;
}

const NUM = 0, BOOL = 1, ENUM = 2, OTHER = 3;

export class PreviousValues implements PreviousRowReader {
  private readonly kind: Uint8Array;
  private cols: (Float64Array | null)[];
  private rid = -1;
  private slot = -1;
  private cap: number;

  constructor(private readonly store: TableStore, private readonly reg: RowRegistry) {
    this.kind = Uint8Array.from(store.columns, (c) =>
      c.kind === 'bool' ? BOOL : c.kind === 'enum' ? ENUM : c.kind === 'string' || c.kind === 'identity' || c.kind === 'bytes' ? OTHER : NUM);
    this.cap = reg.cap;
    this.cols = store.columns.map((_, c) => (this.kind[c] === OTHER ? null : new Float64Array(reg.cap)));
  }

  at(slot: number): this {
    this.slot = slot;
    this.rid = this.reg.ridOfSlot(slot);
    return this;
  }

  read(column: number): number | boolean | string | Uint8Array {
    const k = this.kind[column];
    if (k === OTHER || this.rid < 0) return this.store.read(this.slot, column) as string | Uint8Array;
    const v = this.cols[column]![this.rid]!;
    if (k === BOOL) return v !== 0;
    if (k === ENUM) return this.store.columns[column]!.config.enumValues![v]!;
    return v;
  }

  /** Captures every live row (when the table becomes subscribed). */
  fill(): void {
    for (let s = 0; s < this.store.count; s++) this.captureRow(s, this.reg.ridOfSlot(s), 0x7fffffff);
  }

  /** End of publish: the tick's new values become the previous ones. */
  capture(ch: TableChanges): void {
    const ids = ch.updated.ids, masks = ch.updatedMask;
    for (let i = 0; i < ch.updated.length; i++) this.captureRow(ids[i]!, this.reg.ridOfSlot(ids[i]!), masks[i]!);
    const ins = ch.inserted.ids;
    for (let i = 0; i < ch.inserted.length; i++) this.captureRow(ins[i]!, this.reg.ridOfSlot(ins[i]!), 0x7fffffff);
  }

  private captureRow(slot: number, rid: number, mask: number): void {
    if (rid < 0) return;
    if (rid >= this.cap) this.grow(this.reg.cap);
    const st = this.store;
    for (let m = mask & ((1 << st.ncols) - 1); m !== 0; m &= m - 1) {
      const c = 31 - Math.clz32(m & -m);
      const col = this.cols[c];
      if (col) col[rid] = st.cols[c]![slot]!;
    }
  }

  private grow(cap: number): void {
    this.cap = cap;
    this.cols = this.cols.map((c) => {
      if (!c) return null;
      const g = new Float64Array(cap);
      g.set(c);
      return g;
    });
  }
}
