// Test support: a miniature server side of the row codec (what the subscriptions module does for
// real): server rows by pk, the values last published to clients, per-client handle spaces and views,
// and one tick of encode-once / assemble-per-client.
import { RowPieceEncoder } from '../row-piece-encoder.ts';
import { ClientFrameAssembler } from '../client-frame-assembler.ts';
import { HandleList, HandleSpace } from '../handles.ts';
import { ArrayRowReader } from '../row-reader.ts';
import type { PkValue } from '../client-state.ts';
import { compileLayout, type CompiledLayout, type ColumnValue, type TableLayout } from '../layout.ts';

export interface SimClient {
  /** Per table: pk → handle of rows in view. */
  readonly handles: Map<number, Map<PkValue, number>>;
  readonly spaces: Map<number, HandleSpace>;
  /** Per table: pks the client should see after the next tick. */
  readonly wants: Map<number, Set<PkValue>>;
}

export class ServerSim {
  readonly layouts: Map<number, CompiledLayout> = new Map();
  /** Current rows per table: pk → values in column order. */
  readonly rows = new Map<number, Map<PkValue, ColumnValue[]>>();
  /** Values as of the last published tick (what clients hold). */
  readonly published = new Map<number, Map<PkValue, ColumnValue[]>>();
  readonly pieces = new RowPieceEncoder(256);
  readonly assembler = new ClientFrameAssembler(this.pieces, 256);
  private readonly next = new ArrayRowReader();
  private readonly prev = new ArrayRowReader();
  tick = 0;
  /** Pass heldRows to the assembler (enables the one-byte "all rows changed" handle set). */
  useHeldRows = true;

  constructor(layouts: readonly TableLayout[]) {
    for (const l of layouts) {
      this.layouts.set(l.id, compileLayout(l));
      this.rows.set(l.id, new Map());
      this.published.set(l.id, new Map());
    }
  }

  newClient(): SimClient {
    const c: SimClient = { handles: new Map(), spaces: new Map(), wants: new Map() };
    for (const id of this.layouts.keys()) {
      c.handles.set(id, new Map());
      c.spaces.set(id, new HandleSpace());
      c.wants.set(id, new Set());
    }
    return c;
  }

  upsert(tableId: number, values: ColumnValue[]): void {
    const L = this.layouts.get(tableId)!;
    this.rows.get(tableId)!.set(values[L.pkIndex] as PkValue, values);
  }

  remove(tableId: number, pk: PkValue): void {
    this.rows.get(tableId)!.delete(pk);
  }

  /** Encodes the tick once, then assembles one frame per client. Returns the frames. */
  publish(clients: readonly SimClient[], reset = false): Uint8Array[] {
    this.tick++;
    const p = this.pieces;
    p.reset();
    const wholePiece = new Map<number, Map<PkValue, number>>();
    const updatePiece = new Map<number, Map<PkValue, number>>();
    for (const [id, L] of this.layouts) {
      const whole = new Map<PkValue, number>(), upd = new Map<PkValue, number>();
      const pub = this.published.get(id)!;
      for (const [pk, values] of this.rows.get(id)!) {
        const old = pub.get(pk);
        if (old) {
          let mask = 0;
          for (let c = 0; c < L.ncols; c++) if (!sameValue(old[c]!, values[c]!)) mask |= 1 << c;
          if (mask !== 0) {
            this.next.values = values;
            this.prev.values = old;
            upd.set(pk, p.encodeUpdate(L, mask, this.next, this.prev));
          }
        }
        whole.set(pk, -1); // encoded lazily: only when some client needs it
      }
      wholePiece.set(id, whole);
      updatePiece.set(id, upd);
    }
    const frames: Uint8Array[] = [];
    const ins = new HandleList(), upd = new HandleList(), del = new HandleList();
    for (const client of clients) {
      this.assembler.beginTick(this.tick, this.tick * 50, reset);
      for (const [id, L] of this.layouts) {
        ins.clear(); upd.clear(); del.clear();
        const handles = client.handles.get(id)!, space = client.spaces.get(id)!;
        const rows = this.rows.get(id)!;
        const wants = client.wants.get(id)!;
        if (reset) {
          handles.clear();
          space.clear();
        }
        for (const [pk, h] of handles) {
          if (!rows.has(pk) || !wants.has(pk)) {
            del.push(h);
            space.release(h);
            handles.delete(pk);
          }
        }
        for (const pk of wants) {
          if (!rows.has(pk)) continue;
          const h = handles.get(pk);
          if (h === undefined) {
            const nh = space.alloc();
            handles.set(pk, nh);
            let piece = wholePiece.get(id)!.get(pk)!;
            if (piece < 0) {
              this.next.values = rows.get(pk)!;
              piece = p.encodeRow(L, this.next);
              wholePiece.get(id)!.set(pk, piece);
            }
            ins.push(nh, piece);
          } else {
            const piece = updatePiece.get(id)!.get(pk);
            if (piece !== undefined && piece >= 0) upd.push(h, piece);
          }
        }
        this.assembler.addTable(id, ins, upd, del, this.useHeldRows ? handles.size : -1);
      }
      frames.push(this.assembler.finish().slice());
    }
    for (const [id, rows] of this.rows) {
      const pub = this.published.get(id)!;
      pub.clear();
      for (const [pk, v] of rows) pub.set(pk, v.slice());
    }
    return frames;
  }
}

export function sameValue(a: ColumnValue, b: ColumnValue): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((v, i) => v === b[i]);
  return Object.is(a, b);
}
