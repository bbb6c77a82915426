// A client-side model for tests: a DeltaSink that applies every delta the way a client would (drop
// on reset, then deletes, inserts, updates of changed columns only) and fails loudly on anything a
// client could not apply: an unknown handle, a handle twice in one delta, a row held twice.
import type { ClientDelta, ClientId, DeltaSink, TableDelta } from '../types.ts';
import type { SubscriptionManager } from '../subscription-manager.ts';

export type ModelRow = Record<string, unknown>;

export class ModelTable {
  readonly byHandle = new Map<number, ModelRow>();
  readonly handleByPk = new Map<unknown, number>();
}

export class ModelSink implements DeltaSink {
  readonly models = new Map<ClientId, Map<string, ModelTable>>();
  /** Clients that received a delta in the last tick. */
  readonly delivered = new Set<ClientId>();
  /** Number of deltas with reset per client. */
  readonly resets = new Map<ClientId, number>();
  readonly applied = new Map<ClientId, number[]>();
  manager: SubscriptionManager | null = null;
  /** Check the change set's tick-start values (the base of the server's delta encoding) against
   * the values this model holds. */
  checkPrevious = false;

  beginTick(): void { this.delivered.clear(); }

  table(client: ClientId, name: string): ModelTable {
    let m = this.models.get(client);
    if (!m) { m = new Map(); this.models.set(client, m); }
    let t = m.get(name);
    if (!t) { t = new ModelTable(); m.set(name, t); }
    return t;
  }

  /** The primary keys the model holds, per table. */
  pks(client: ClientId, name: string): unknown[] {
    return [...(this.models.get(client)?.get(name)?.handleByPk.keys() ?? [])];
  }

  clientDelta(d: ClientDelta): void {
    if (this.delivered.has(d.clientId)) throw new Error(`client ${d.clientId} got two deltas in one tick`);
    this.delivered.add(d.clientId);
    if (d.reset) {
      this.models.delete(d.clientId);
      this.resets.set(d.clientId, (this.resets.get(d.clientId) ?? 0) + 1);
    }
    if (d.applied.length > 0) this.applied.set(d.clientId, [...(this.applied.get(d.clientId) ?? []), ...d.applied]);
    for (const t of d.tables) this.applyTable(d.clientId, t);
  }

  private applyTable(client: ClientId, t: TableDelta): void {
    const m = this.table(client, t.table);
    const st = t.store, pkName = st.columns[st.pkCol]!.name;
    const seen = new Set<number>();
    const once = (h: number) => {
      if (seen.has(h)) throw new Error(`client ${client} ${t.table}: handle ${h} appears twice in one delta`);
      seen.add(h);
    };
    for (let i = 0; i < t.leftCount; i++) {
      const h = t.leftHandles[i]!;
      once(h);
      const row = m.byHandle.get(h);
      if (!row) throw new Error(`client ${client} ${t.table}: delete of unknown handle ${h}`);
      if (row[pkName] !== t.leftPk(i)) throw new Error(`client ${client} ${t.table}: handle ${h} holds pk ${String(row[pkName])}, delete names ${String(t.leftPk(i))}`);
      m.byHandle.delete(h);
      m.handleByPk.delete(row[pkName]);
    }
    const enc = this.manager?.rowsToEncode(t.tableIndex);
    const whole = enc ? new Set(Array.from(enc.wholeSlots.subarray(0, enc.wholeCount))) : null;
    const changed = enc ? new Set(Array.from(enc.changeIndexes.subarray(0, enc.changeCount))) : null;
    for (let i = 0; i < t.enteredCount; i++) {
      const h = t.enteredHandles[i]!;
      once(h);
      if (m.byHandle.has(h)) throw new Error(`client ${client} ${t.table}: insert on handle ${h}, which is in use`);
      const row = st.rowAt(t.enteredSlots[i]!);
      if (m.handleByPk.has(row[pkName])) throw new Error(`client ${client} ${t.table}: row ${String(row[pkName])} entered twice`);
      if (whole && !whole.has(t.enteredSlots[i]!)) throw new Error(`${t.table}: entered slot ${t.enteredSlots[i]} is not in rowsToEncode`);
      m.byHandle.set(h, row);
      m.handleByPk.set(row[pkName], h);
    }
    for (let i = 0; i < t.updatedCount; i++) {
      const h = t.updatedHandle(i);
      once(h);
      const row = m.byHandle.get(h);
      if (!row) throw new Error(`client ${client} ${t.table}: update of unknown handle ${h}`);
      const slot = t.updatedSlot(i);
      if (this.checkPrevious) {
        const mask = t.updatedMask(i);
        for (let c = 0; c < st.ncols; c++) {
          const k = st.columns[c]!.kind;
          if (k === 'string' || k === 'identity' || k === 'bytes') continue;
          const prev = st.readPrevious(slot, c, mask);
          if (prev !== row[st.columns[c]!.name]) throw new Error(`${t.table} row ${String(row[pkName])}: the tick-start value of ${st.columns[c]!.name} is ${String(prev)}, the client holds ${String(row[st.columns[c]!.name])}`);
        }
      }
      if (st.read(slot, st.pkCol) !== row[pkName]) throw new Error(`client ${client} ${t.table}: handle ${h} updated with another row's values`);
      if (changed && !changed.has(t.updatedChange(i))) throw new Error(`${t.table}: change ${t.updatedChange(i)} is not in rowsToEncode`);
      for (let mask = t.updatedMask(i) & 0x7fffffff; mask !== 0; mask &= mask - 1) {
        const c = 31 - Math.clz32(mask & -mask);
        row[st.columns[c]!.name] = st.read(slot, c);
      }
    }
    if (t.held !== m.byHandle.size) throw new Error(`client ${client} ${t.table}: delta says ${t.held} rows held, the model holds ${m.byHandle.size}`);
  }
}
