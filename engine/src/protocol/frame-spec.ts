// The shape of every table in schema/frames.fbs, in vtable slot order, for the verifier. A test
// (frame-spec.test.ts) parses the .fbs and checks this stays in step with it.

export type ScalarField = 'u8' | 'bool' | 'u16' | 'i16' | 'u32' | 'f64';
export type FieldSpec =
  | ScalarField
  | 'string'
  | '[ubyte]'
  | '[ushort]'
  | '[uint]'
  | '[string]'
  | { readonly table: TableSpec }
  | { readonly tables: TableSpec }
  | { readonly unionType: string }
  | { readonly union: readonly (TableSpec | null)[] };

export interface TableSpec {
  readonly name: string;
  readonly fields: readonly (readonly [name: string, spec: FieldSpec])[];
}

const ColumnDesc: TableSpec = {
  name: 'ColumnDesc',
  fields: [['name', 'string'], ['kind', 'u8'], ['quant', 'f64'], ['enum_values', '[string]'], ['optional', 'bool']],
};
const TableDesc: TableSpec = {
  name: 'TableDesc',
  fields: [
    ['id', 'u16'], ['name', 'string'], ['columns', { tables: ColumnDesc }], ['pk_column', 'u8'],
    ['visibility', 'u8'], ['owner_column', 'u8'], ['spatial_x', 'i16'], ['spatial_y', 'i16'],
  ],
};
const ReducerDesc: TableSpec = {
  name: 'ReducerDesc',
  fields: [['id', 'u16'], ['name', 'string'], ['args', { tables: ColumnDesc }]],
};
const ClientHello: TableSpec = { name: 'ClientHello', fields: [['token', 'string'], ['module_version', 'string']] };
const Welcome: TableSpec = {
  name: 'Welcome',
  fields: [
    ['identity', 'string'], ['token', 'string'], ['connection_id', 'u32'], ['module_version', 'string'],
    ['tick_rate', 'u16'], ['tick', 'u32'], ['tables', { tables: TableDesc }], ['reducers', { tables: ReducerDesc }],
  ],
};
const CallBatch: TableSpec = {
  name: 'CallBatch',
  fields: [
    ['request_ids', '[uint]'], ['reducer_ids', '[ushort]'], ['args_ends', '[uint]'], ['args', '[ubyte]'],
    ['reducer_names', '[string]'],
  ],
};
const CallFailure: TableSpec = { name: 'CallFailure', fields: [['request_id', 'u32'], ['code', 'string'], ['message', 'string']] };
const CallResultBatch: TableSpec = {
  name: 'CallResultBatch',
  fields: [['tick', 'u32'], ['ok', '[uint]'], ['failed', { tables: CallFailure }]],
};
const Filter: TableSpec = { name: 'Filter', fields: [['column', 'u8'], ['op', 'u8'], ['value', '[ubyte]'], ['hi', '[ubyte]']] };
const Subscribe: TableSpec = {
  name: 'Subscribe',
  fields: [['query_id', 'u32'], ['table_id', 'u16'], ['filters', { tables: Filter }]],
};
const Unsubscribe: TableSpec = { name: 'Unsubscribe', fields: [['query_id', 'u32']] };
const SubscriptionApplied: TableSpec = {
  name: 'SubscriptionApplied',
  fields: [['query_id', 'u32'], ['tick', 'u32'], ['rows', '[ubyte]']],
};
const SetArea: TableSpec = {
  name: 'SetArea',
  fields: [
    ['query_id', 'u32'], ['table_id', 'u16'], ['shape', 'u8'], ['x', 'f64'], ['y', 'f64'], ['half_width', 'f64'],
    ['half_height', 'f64'], ['radius', 'f64'], ['follow_table_id', 'u16'], ['follow_pk', '[ubyte]'], ['margin', 'f64'],
  ],
};
const TickUpdate: TableSpec = {
  name: 'TickUpdate',
  fields: [['tick', 'u32'], ['time', 'f64'], ['rows', '[ubyte]'], ['reset', 'bool']],
};
const ErrorFrame: TableSpec = {
  name: 'ErrorFrame',
  fields: [['code', 'string'], ['message', 'string'], ['request_id', 'u32'], ['query_id', 'u32'], ['fatal', 'bool']],
};
const Ping: TableSpec = { name: 'Ping', fields: [['id', 'u32'], ['time', 'f64']] };
const Pong: TableSpec = { name: 'Pong', fields: [['id', 'u32'], ['time', 'f64']] };

/** Union members by FrameBody type number (0 = NONE). */
export const FRAME_BODIES: readonly (TableSpec | null)[] = [
  null, ClientHello, Welcome, CallBatch, CallResultBatch, Subscribe, Unsubscribe, SubscriptionApplied,
  SetArea, TickUpdate, ErrorFrame, Ping, Pong,
];

export const FrameSpec: TableSpec = {
  name: 'Frame',
  fields: [['version', 'u16'], ['body_type', { unionType: 'FrameBody' }], ['body', { union: FRAME_BODIES }]],
};

export const ALL_TABLE_SPECS: readonly TableSpec[] = [
  ColumnDesc, TableDesc, ReducerDesc, ClientHello, Welcome, CallBatch, CallFailure, CallResultBatch, Filter,
  Subscribe, Unsubscribe, SubscriptionApplied, SetArea, TickUpdate, ErrorFrame, Ping, Pong, FrameSpec,
];
