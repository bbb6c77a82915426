// Public face of the wire protocol: frame encoding/decoding (flatbuffers, schema/frames.fbs), the
// row codec that TickUpdates carry, and the client-side state it applies to. Imports nothing from
// node: the browser SDK uses it as is. docs/protocol.md describes the bytes.
export { PROTOCOL_VERSION, DEFAULT_LIMITS, resolveLimits, type ProtocolLimits } from './limits.ts';
export { ProtocolError, ErrorCodes, type ProtocolErrorCode, type ErrorCode } from './errors.ts';
export type {
  Frame, FrameType, HelloFrame, WelcomeFrame, CallReducer, CallBatchFrame, CallFailure, CallResultsFrame,
  FilterOp, Filter, SubscribeFrame, UnsubscribeFrame, TableUpdateData, SubscriptionAppliedFrame, Area,
  SetAreaFrame, TickUpdateFrame, ErrorFrame, PingFrame,
} from './frame-types.ts';
export { FrameEncoder, encodeFrame } from './frame-encoder.ts';
export { decodeFrame, type DecodeOptions } from './frame-decoder.ts';
export {
  compileLayout, validateLayout, MAX_COLUMNS,
  type ColumnKind, type ColumnValue, type ColumnLayout, type TableLayout, type ReducerLayout, type CompiledLayout,
} from './layout.ts';
export { quantize, dequantize, quantizedValue, MAX_QUANT } from './quantize.ts';
export { type RowReader, ObjectRowReader, ArrayRowReader } from './row-reader.ts';
export { RowPieceEncoder } from './row-piece-encoder.ts';
export { HandleSpace, HandleList } from './handles.ts';
export { ClientFrameAssembler } from './client-frame-assembler.ts';
export { TableBlockWriter } from './table-block-writer.ts';
export { ByteWriter } from './byte-writer.ts';
export { moduleLayouts, tableLayout, type ModuleLayouts } from './module-layouts.ts';
export { ClientState, ClientTable, type Row, type PkValue } from './client-state.ts';
export {
  applyTableUpdates, applyFrame, decodeTickUpdate, type AppliedUpdate, type TableChangeReport, type RowUpdate,
} from './apply-updates.ts';
