// decodeFrame: verifies untrusted bytes (frame-verifier.ts) and only then reads them through the
// generated accessors into plain frame objects. Anything wrong throws a ProtocolError with a code.
import * as flatbuffers from 'flatbuffers';
import * as fb from './generated/frames-generated.ts';
import { ProtocolError } from './errors.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from './limits.ts';
import { verifyFrame } from './frame-verifier.ts';
import { validateLayout, validateColumn, type ColumnLayout, type TableLayout, type ReducerLayout } from './layout.ts';
import { WIRE_TO_KIND, WIRE_TO_OP } from './wire-enums.ts';
import { splitTableSections } from './row-sections.ts';
import type { Frame, CallReducer, CallFailure, Filter, Area } from './frame-types.ts';

export interface DecodeOptions {
  /** Defaults to DEFAULT_LIMITS; build one with resolveLimits() and reuse it. */
  readonly limits?: ProtocolLimits;
  /** Copy byte fields out of `bytes` (needed when the buffer is reused or detached after the
   * call, as uWebSockets.js does with message buffers). Default false: views. */
  readonly copyBytes?: boolean;
}

const EMPTY = new Uint8Array(0);

function bad(msg: string): never {
  throw new ProtocolError('BAD_VALUE', msg);
}

function missing(what: string): never {
  throw new ProtocolError('MISSING_FIELD', `${what} is required`);
}

/** Decodes one frame. Throws ProtocolError for anything malformed, never another error. */
export function decodeFrame(bytes: Uint8Array, options: DecodeOptions = {}): Frame {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const root = verifyFrame(bytes, limits);
  try {
    return readFrame(new flatbuffers.ByteBuffer(bytes), root, options.copyBytes === true);
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    // The verifier should make this unreachable; never let a decoding fault escape as a crash.
    throw new ProtocolError('BAD_VALUE', `frame could not be read: ${(e as Error).message}`);
  }
}

function readFrame(bb: flatbuffers.ByteBuffer, root: number, copy: boolean): Frame {
  const frame = new fb.Frame().__init(root, bb);
  const bytes = (v: Uint8Array | null): Uint8Array => (v === null || v.length === 0 ? EMPTY : copy ? v.slice() : v);
  switch (frame.bodyType()) {
    case fb.FrameBody.ClientHello: {
      const h = frame.body(new fb.ClientHello()) as fb.ClientHello;
      return { type: 'hello', token: h.token(), moduleVersion: h.moduleVersion() };
    }
    case fb.FrameBody.Welcome: return readWelcome(frame.body(new fb.Welcome()) as fb.Welcome);
    case fb.FrameBody.CallBatch: return { type: 'callBatch', calls: readCalls(frame.body(new fb.CallBatch()) as fb.CallBatch, copy) };
    case fb.FrameBody.CallResultBatch: {
      const r = frame.body(new fb.CallResultBatch()) as fb.CallResultBatch;
      const ok: number[] = new Array(r.okLength());
      for (let i = 0; i < ok.length; i++) ok[i] = r.ok(i)!;
      const failed: CallFailure[] = [];
      const f = new fb.CallFailure();
      for (let i = 0; i < r.failedLength(); i++) {
        r.failed(i, f);
        failed.push({ requestId: f.requestId(), code: f.code() ?? '', message: f.message() ?? '' });
      }
      return { type: 'callResults', tick: r.tick(), ok, failed };
    }
    case fb.FrameBody.Subscribe: {
      const s = frame.body(new fb.Subscribe()) as fb.Subscribe;
      const filters: Filter[] = [];
      const f = new fb.Filter();
      for (let i = 0; i < s.filtersLength(); i++) {
        s.filters(i, f);
        const op = WIRE_TO_OP[f.op()] ?? bad(`unknown filter op ${f.op()}`);
        const value = f.valueArray(), hi = f.hiArray();
        filters.push({ column: f.column(), op, value: value ? bytes(value) : null, hi: hi ? bytes(hi) : null });
      }
      return { type: 'subscribe', queryId: s.queryId(), tableId: s.tableId(), filters };
    }
    case fb.FrameBody.Unsubscribe: {
      const u = frame.body(new fb.Unsubscribe()) as fb.Unsubscribe;
      return { type: 'unsubscribe', queryId: u.queryId() };
    }
    case fb.FrameBody.SubscriptionApplied: {
      const s = frame.body(new fb.SubscriptionApplied()) as fb.SubscriptionApplied;
      return { type: 'subscriptionApplied', queryId: s.queryId(), tick: s.tick(), tables: splitTableSections(s.rowsArray(), copy) };
    }
    case fb.FrameBody.SetArea: return readSetArea(frame.body(new fb.SetArea()) as fb.SetArea, bytes);
    case fb.FrameBody.TickUpdate: {
      const t = frame.body(new fb.TickUpdate()) as fb.TickUpdate;
      const tables = splitTableSections(t.rowsArray(), copy);
      return { type: 'tickUpdate', tick: t.tick(), time: t.time(), reset: t.reset(), tables };
    }
    case fb.FrameBody.ErrorFrame: {
      const e = frame.body(new fb.ErrorFrame()) as fb.ErrorFrame;
      return { type: 'error', code: e.code() ?? '', message: e.message() ?? '', requestId: e.requestId(), queryId: e.queryId(), fatal: e.fatal() };
    }
    case fb.FrameBody.Ping: {
      const p = frame.body(new fb.Ping()) as fb.Ping;
      return { type: 'ping', id: p.id(), time: p.time() };
    }
    case fb.FrameBody.Pong: {
      const p = frame.body(new fb.Pong()) as fb.Pong;
      return { type: 'pong', id: p.id(), time: p.time() };
    }
    default:
      throw new ProtocolError('UNKNOWN_FRAME', `unknown frame body type ${frame.bodyType()}`);
  }
}

function readCalls(c: fb.CallBatch, copy: boolean): CallReducer[] {
  const n = c.requestIdsLength();
  if (c.reducerIdsLength() !== n || c.argsEndsLength() !== n) bad('CallBatch vectors request_ids, reducer_ids and args_ends differ in length');
  const names = c.reducerNamesLength();
  if (names !== 0 && names !== n) bad('CallBatch.reducer_names must be empty or as long as request_ids');
  const args = c.argsArray() ?? EMPTY;
  const calls: CallReducer[] = new Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = c.argsEnds(i)!;
    if (end < start || end > args.length) bad(`CallBatch.args_ends[${i}] = ${end} is out of order or past the arguments`);
    const a = args.subarray(start, end);
    const name = names !== 0 ? c.reducerNames(i) : null;
    calls[i] = { requestId: c.requestIds(i)!, reducerId: c.reducerIds(i)!, reducerName: name ? name : null, args: copy ? a.slice() : a };
    start = end;
  }
  return calls;
}

function readSetArea(s: fb.SetArea, bytes: (v: Uint8Array | null) => Uint8Array): Frame {
  const x = s.x(), y = s.y();
  if (!Number.isFinite(x) || !Number.isFinite(y)) bad('SetArea centre must be finite');
  let area: Area;
  if (s.shape() === fb.AreaShape.Rect) {
    const hw = s.halfWidth(), hh = s.halfHeight();
    if (!(hw >= 0 && hh >= 0 && Number.isFinite(hw) && Number.isFinite(hh))) bad('SetArea half sizes must be finite and non-negative');
    area = { shape: 'rect', x, y, halfWidth: hw, halfHeight: hh };
  } else if (s.shape() === fb.AreaShape.Circle) {
    const r = s.radius();
    if (!(r >= 0 && Number.isFinite(r))) bad('SetArea radius must be finite and non-negative');
    area = { shape: 'circle', x, y, radius: r };
  } else {
    return bad(`unknown SetArea shape ${s.shape()}`);
  }
  const pk = s.followPkArray();
  const margin = s.margin();
  if (Number.isNaN(margin) || margin === Infinity) bad('SetArea margin must be finite');
  return {
    type: 'setArea', queryId: s.queryId(), tableId: s.tableId(), area,
    follow: pk ? { tableId: s.followTableId(), pk: bytes(pk) } : null,
    margin: margin >= 0 ? margin : null,
  };
}

function readColumn(c: fb.ColumnDesc, owner: string): ColumnLayout {
  const kind = WIRE_TO_KIND[c.kind()] ?? bad(`${owner}: unknown column kind ${c.kind()}`);
  const name = c.name() ?? missing(`${owner}: column name`);
  let enumValues: string[] | null = null;
  if (kind === 'enum') {
    enumValues = new Array(c.enumValuesLength());
    for (let i = 0; i < enumValues.length; i++) enumValues[i] = c.enumValues(i);
  }
  const q = c.quant();
  const col: ColumnLayout = { name, kind, quant: q === 0 ? null : q, enumValues, ...(c.optional() ? { optional: true } : {}) };
  validateColumn({ name: owner }, col);
  return col;
}

function readWelcome(w: fb.Welcome): Frame {
  const tables: TableLayout[] = [];
  const ids = new Set<number>();
  const td = new fb.TableDesc();
  const cd = new fb.ColumnDesc();
  for (let i = 0; i < w.tablesLength(); i++) {
    w.tables(i, td);
    const name = td.name() ?? missing('TableDesc.name');
    const columns: ColumnLayout[] = [];
    for (let j = 0; j < td.columnsLength(); j++) columns.push(readColumn(td.columns(j, cd)!, name));
    const vis = td.visibility();
    if (vis !== fb.Visibility.Public && vis !== fb.Visibility.Owner) bad(`table '${name}': unknown visibility ${vis}`);
    const sx = td.spatialX(), sy = td.spatialY();
    const layout: TableLayout = {
      id: td.id(), name, columns, pkIndex: td.pkColumn(),
      visibility: vis === fb.Visibility.Owner ? 'owner' : 'public',
      ...(vis === fb.Visibility.Owner ? { ownerIndex: td.ownerColumn() } : {}),
      spatial: sx >= 0 && sy >= 0 ? { x: sx, y: sy } : null,
    };
    validateLayout(layout);
    if (ids.has(layout.id)) throw new ProtocolError('BAD_LAYOUT', `table id ${layout.id} is used twice`);
    ids.add(layout.id);
    tables.push(layout);
  }
  const reducers: ReducerLayout[] = [];
  const rd = new fb.ReducerDesc();
  for (let i = 0; i < w.reducersLength(); i++) {
    w.reducers(i, rd);
    const name = rd.name() ?? missing('ReducerDesc.name');
    const args: ColumnLayout[] = [];
    for (let j = 0; j < rd.argsLength(); j++) args.push(readColumn(rd.args(j, cd)!, `reducer ${name}`));
    reducers.push({ id: rd.id(), name, args });
  }
  return {
    type: 'welcome', identity: w.identity() ?? missing('Welcome.identity'), token: w.token() ?? missing('Welcome.token'),
    connectionId: w.connectionId(), moduleVersion: w.moduleVersion() ?? '', tickRate: w.tickRate(), tick: w.tick(),
    tables, reducers,
  };
}
