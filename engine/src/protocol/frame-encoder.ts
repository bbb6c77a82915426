// FrameEncoder: turns frame objects into flatbuffers bytes with one reused Builder (and one reused
// scratch writer), so steady-state encoding allocates nothing but the strings flatbuffers encodes.
import * as flatbuffers from 'flatbuffers';
import * as fb from './generated/frames-generated.ts';
import { ByteWriter } from './byte-writer.ts';
import { PROTOCOL_VERSION } from './limits.ts';
import { writeTableSections } from './row-sections.ts';
import { KIND_TO_WIRE, OP_TO_WIRE } from './wire-enums.ts';
import type { ColumnLayout, TableLayout, ReducerLayout } from './layout.ts';
import type {
  Frame, WelcomeFrame, CallReducer, CallResultsFrame, SubscribeFrame, SetAreaFrame, TableUpdateData, ErrorFrame,
} from './frame-types.ts';

const BODY: Record<Frame['type'], fb.FrameBody> = {
  hello: fb.FrameBody.ClientHello, welcome: fb.FrameBody.Welcome, callBatch: fb.FrameBody.CallBatch,
  callResults: fb.FrameBody.CallResultBatch, subscribe: fb.FrameBody.Subscribe, unsubscribe: fb.FrameBody.Unsubscribe,
  subscriptionApplied: fb.FrameBody.SubscriptionApplied, setArea: fb.FrameBody.SetArea,
  tickUpdate: fb.FrameBody.TickUpdate, error: fb.FrameBody.ErrorFrame, ping: fb.FrameBody.Ping, pong: fb.FrameBody.Pong,
};

export class FrameEncoder {
  readonly builder: flatbuffers.Builder;
  private readonly scratch = new ByteWriter(1024);

  constructor(initialBytes = 1024) {
    this.builder = new flatbuffers.Builder(initialBytes);
  }

  /** Encodes `frame`. The result is a view into this encoder's buffer, valid until its next call:
   * send it (sockets copy) or copy it before encoding again. */
  encode(frame: Frame): Uint8Array {
    const b = this.builder;
    b.clear();
    return this.wrap(BODY[frame.type], this.body(frame));
  }

  /** Finishes a frame around an already-built body table (used by ClientFrameAssembler too). */
  wrap(bodyType: fb.FrameBody, body: flatbuffers.Offset): Uint8Array {
    const b = this.builder;
    fb.Frame.startFrame(b);
    fb.Frame.addBody(b, body);
    fb.Frame.addVersion(b, PROTOCOL_VERSION);
    fb.Frame.addBodyType(b, bodyType);
    b.finish(fb.Frame.endFrame(b));
    return b.asUint8Array();
  }

  private body(f: Frame): flatbuffers.Offset {
    const b = this.builder;
    switch (f.type) {
      case 'hello': {
        const token = f.token !== null ? b.createString(f.token) : 0;
        const mv = f.moduleVersion !== null ? b.createString(f.moduleVersion) : 0;
        fb.ClientHello.startClientHello(b);
        if (token) fb.ClientHello.addToken(b, token);
        if (mv) fb.ClientHello.addModuleVersion(b, mv);
        return fb.ClientHello.endClientHello(b);
      }
      case 'welcome': return this.welcome(f);
      case 'callBatch': return this.callBatch(f.calls);
      case 'callResults': return this.callResults(f);
      case 'subscribe': return this.subscribe(f);
      case 'unsubscribe': return fb.Unsubscribe.createUnsubscribe(b, f.queryId);
      case 'subscriptionApplied': {
        return fb.SubscriptionApplied.createSubscriptionApplied(b, f.queryId, f.tick, this.rows(f.tables));
      }
      case 'setArea': return this.setArea(f);
      case 'tickUpdate': {
        return tickUpdateBody(b, f.tick, f.time, this.rows(f.tables), f.reset);
      }
      case 'error': return this.error(f);
      case 'ping': return fb.Ping.createPing(b, f.id, f.time);
      case 'pong': return fb.Pong.createPong(b, f.id, f.time);
    }
  }

  private column(c: ColumnLayout): flatbuffers.Offset {
    const b = this.builder;
    const name = b.createString(c.name);
    let values = 0;
    if (c.kind === 'enum' && c.enumValues) {
      values = fb.ColumnDesc.createEnumValuesVector(b, c.enumValues.map((v) => b.createString(v)));
    }
    fb.ColumnDesc.startColumnDesc(b);
    fb.ColumnDesc.addName(b, name);
    fb.ColumnDesc.addKind(b, KIND_TO_WIRE[c.kind]);
    if (c.quant) fb.ColumnDesc.addQuant(b, c.quant);
    if (values) fb.ColumnDesc.addEnumValues(b, values);
    if (c.optional) fb.ColumnDesc.addOptional(b, true);
    return fb.ColumnDesc.endColumnDesc(b);
  }

  private tableDesc(t: TableLayout): flatbuffers.Offset {
    const b = this.builder;
    const cols = fb.TableDesc.createColumnsVector(b, t.columns.map((c) => this.column(c)));
    const name = b.createString(t.name);
    fb.TableDesc.startTableDesc(b);
    fb.TableDesc.addId(b, t.id);
    fb.TableDesc.addName(b, name);
    fb.TableDesc.addColumns(b, cols);
    fb.TableDesc.addPkColumn(b, t.pkIndex);
    if (t.visibility === 'owner') {
      fb.TableDesc.addVisibility(b, fb.Visibility.Owner);
      fb.TableDesc.addOwnerColumn(b, t.ownerIndex ?? 0);
    }
    if (t.spatial) {
      fb.TableDesc.addSpatialX(b, t.spatial.x);
      fb.TableDesc.addSpatialY(b, t.spatial.y);
    }
    return fb.TableDesc.endTableDesc(b);
  }

  private reducerDesc(r: ReducerLayout): flatbuffers.Offset {
    const b = this.builder;
    const args = fb.ReducerDesc.createArgsVector(b, r.args.map((c) => this.column(c)));
    const name = b.createString(r.name);
    return fb.ReducerDesc.createReducerDesc(b, r.id, name, args);
  }

  private welcome(f: WelcomeFrame): flatbuffers.Offset {
    const b = this.builder;
    const tables = fb.Welcome.createTablesVector(b, f.tables.map((t) => this.tableDesc(t)));
    const reducers = fb.Welcome.createReducersVector(b, f.reducers.map((r) => this.reducerDesc(r)));
    const identity = b.createString(f.identity);
    const token = b.createString(f.token);
    const mv = b.createString(f.moduleVersion);
    fb.Welcome.startWelcome(b);
    fb.Welcome.addIdentity(b, identity);
    fb.Welcome.addToken(b, token);
    fb.Welcome.addConnectionId(b, f.connectionId);
    fb.Welcome.addModuleVersion(b, mv);
    fb.Welcome.addTickRate(b, f.tickRate);
    fb.Welcome.addTick(b, f.tick);
    fb.Welcome.addTables(b, tables);
    fb.Welcome.addReducers(b, reducers);
    return fb.Welcome.endWelcome(b);
  }

  /** Calls as parallel vectors (ids, reducer ids, arg end offsets) plus one blob of all arguments:
   * no table per call, so a batch of thousands verifies and decodes in a few loops. */
  private callBatch(calls: readonly CallReducer[]): flatbuffers.Offset {
    const b = this.builder;
    const n = calls.length;
    let names = 0;
    if (calls.some((c) => c.reducerName !== null)) {
      names = fb.CallBatch.createReducerNamesVector(b, calls.map((c) => b.createString(c.reducerName ?? '')));
    }
    const s = this.scratch;
    s.reset();
    for (let i = 0; i < n; i++) s.bytes(calls[i]!.args);
    const args = b.createByteVector(s.buf.subarray(0, s.pos));
    b.startVector(4, n, 4);
    let end = s.pos;
    for (let i = n - 1; i >= 0; i--) {
      b.addInt32(end);
      end -= calls[i]!.args.length;
    }
    const ends = b.endVector();
    b.startVector(2, n, 2);
    for (let i = n - 1; i >= 0; i--) b.addInt16(calls[i]!.reducerId);
    const rids = b.endVector();
    b.startVector(4, n, 4);
    for (let i = n - 1; i >= 0; i--) b.addInt32(calls[i]!.requestId);
    const reqs = b.endVector();
    fb.CallBatch.startCallBatch(b);
    fb.CallBatch.addRequestIds(b, reqs);
    fb.CallBatch.addReducerIds(b, rids);
    fb.CallBatch.addArgsEnds(b, ends);
    fb.CallBatch.addArgs(b, args);
    if (names) fb.CallBatch.addReducerNames(b, names);
    return fb.CallBatch.endCallBatch(b);
  }

  private callResults(f: CallResultsFrame): flatbuffers.Offset {
    const b = this.builder;
    let failed = 0;
    if (f.failed.length > 0) {
      const offs = f.failed.map((x) => {
        const code = b.createString(x.code);
        const msg = b.createString(x.message);
        return fb.CallFailure.createCallFailure(b, x.requestId, code, msg);
      });
      failed = fb.CallResultBatch.createFailedVector(b, offs);
    }
    let ok = 0;
    if (f.ok.length > 0) {
      b.startVector(4, f.ok.length, 4);
      for (let i = f.ok.length - 1; i >= 0; i--) b.addInt32(f.ok[i]!);
      ok = b.endVector();
    }
    fb.CallResultBatch.startCallResultBatch(b);
    fb.CallResultBatch.addTick(b, f.tick);
    if (ok) fb.CallResultBatch.addOk(b, ok);
    if (failed) fb.CallResultBatch.addFailed(b, failed);
    return fb.CallResultBatch.endCallResultBatch(b);
  }

  private subscribe(f: SubscribeFrame): flatbuffers.Offset {
    const b = this.builder;
    const filters = f.filters.map((x) => {
      const value = x.value ? b.createByteVector(x.value) : 0;
      const hi = x.hi ? b.createByteVector(x.hi) : 0;
      fb.Filter.startFilter(b);
      fb.Filter.addColumn(b, x.column);
      fb.Filter.addOp(b, OP_TO_WIRE[x.op]);
      if (value) fb.Filter.addValue(b, value);
      if (hi) fb.Filter.addHi(b, hi);
      return fb.Filter.endFilter(b);
    });
    const vec = filters.length > 0 ? fb.Subscribe.createFiltersVector(b, filters) : 0;
    fb.Subscribe.startSubscribe(b);
    fb.Subscribe.addQueryId(b, f.queryId);
    fb.Subscribe.addTableId(b, f.tableId);
    if (vec) fb.Subscribe.addFilters(b, vec);
    return fb.Subscribe.endSubscribe(b);
  }

  private setArea(f: SetAreaFrame): flatbuffers.Offset {
    const b = this.builder;
    const pk = f.follow ? b.createByteVector(f.follow.pk) : 0;
    const a = f.area;
    fb.SetArea.startSetArea(b);
    fb.SetArea.addQueryId(b, f.queryId);
    fb.SetArea.addTableId(b, f.tableId);
    fb.SetArea.addX(b, a.x);
    fb.SetArea.addY(b, a.y);
    if (a.shape === 'rect') {
      fb.SetArea.addShape(b, fb.AreaShape.Rect);
      fb.SetArea.addHalfWidth(b, a.halfWidth);
      fb.SetArea.addHalfHeight(b, a.halfHeight);
    } else {
      fb.SetArea.addShape(b, fb.AreaShape.Circle);
      fb.SetArea.addRadius(b, a.radius);
    }
    if (f.follow) {
      fb.SetArea.addFollowTableId(b, f.follow.tableId);
      fb.SetArea.addFollowPk(b, pk);
    }
    if (f.margin !== null) fb.SetArea.addMargin(b, f.margin);
    return fb.SetArea.endSetArea(b);
  }

  private error(f: ErrorFrame): flatbuffers.Offset {
    const b = this.builder;
    const code = b.createString(f.code);
    const msg = b.createString(f.message);
    return fb.ErrorFrame.createErrorFrame(b, code, msg, f.requestId, f.queryId, f.fatal);
  }

  private rows(tables: readonly TableUpdateData[]): flatbuffers.Offset {
    const s = this.scratch;
    s.reset();
    for (const t of tables) writeTableSections(s, t.tableId, t.deletes, t.inserts, t.updates);
    return this.builder.createByteVector(s.buf.subarray(0, s.pos));
  }
}

export function tickUpdateBody(b: flatbuffers.Builder, tick: number, time: number, rows: flatbuffers.Offset, reset: boolean): flatbuffers.Offset {
  fb.TickUpdate.startTickUpdate(b);
  fb.TickUpdate.addTime(b, time);
  fb.TickUpdate.addTick(b, tick);
  fb.TickUpdate.addRows(b, rows);
  if (reset) fb.TickUpdate.addReset(b, true);
  return fb.TickUpdate.endTickUpdate(b);
}

let shared: FrameEncoder | null = null;

/** Encodes one frame into a fresh Uint8Array (convenient; hot paths keep a FrameEncoder). */
export function encodeFrame(frame: Frame): Uint8Array {
  shared ??= new FrameEncoder();
  return shared.encode(frame).slice();
}
