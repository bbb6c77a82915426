// Frames round-trip through FrameEncoder/decodeFrame unchanged, for every frame type.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FrameEncoder, encodeFrame } from './frame-encoder.ts';
import { decodeFrame } from './frame-decoder.ts';
import { ProtocolError } from './errors.ts';
import { PROTOCOL_VERSION } from './limits.ts';
import { frameArb } from './test-support/arbitraries.ts';
import type { Frame } from './frame-types.ts';

const player = {
  id: 3, name: 'player', pkIndex: 0, visibility: 'owner' as const, ownerIndex: 1, spatial: { x: 3, y: 4 },
  columns: [
    { name: 'id', kind: 'u32' as const, quant: null, enumValues: null },
    { name: 'owner', kind: 'identity' as const, quant: null, enumValues: null },
    { name: 'name', kind: 'string' as const, quant: null, enumValues: null },
    { name: 'x', kind: 'f32' as const, quant: 0.01, enumValues: null },
    { name: 'y', kind: 'f32' as const, quant: 0.01, enumValues: null },
    { name: 'class', kind: 'enum' as const, quant: null, enumValues: ['warrior', 'mage'] },
  ],
};

const examples: Frame[] = [
  { type: 'hello', token: null, moduleVersion: null },
  { type: 'hello', token: 'v1.abc.123.sig', moduleVersion: 'deadbeef' },
  {
    type: 'welcome', identity: 'ab'.repeat(32), token: 'tok', connectionId: 42, moduleVersion: 'cafe', tickRate: 20, tick: 99,
    tables: [player],
    reducers: [{ id: 0, name: 'move', args: [
      { name: 'dx', kind: 'f32', quant: null, enumValues: null },
      { name: 'note', kind: 'string', quant: null, enumValues: null, optional: true },
    ] }],
  },
  { type: 'callBatch', calls: [] },
  { type: 'callBatch', calls: [
    { requestId: 1, reducerId: 0, reducerName: null, args: new Uint8Array([0x80]) },
    { requestId: 0xffffffff, reducerId: 65535, reducerName: null, args: new Uint8Array([]) },
  ] },
  { type: 'callBatch', calls: [
    { requestId: 7, reducerId: 0, reducerName: 'move', args: new Uint8Array([1, 2, 3]) },
    { requestId: 8, reducerId: 3, reducerName: null, args: new Uint8Array([4]) },
  ] },
  { type: 'callResults', tick: 5, ok: [1, 2, 3], failed: [{ requestId: 4, code: 'REDUCER_FAILED', message: 'not joined' }] },
  { type: 'subscribe', queryId: 1, tableId: 3, filters: [{ column: 1, op: 'ownerIsMe', value: null, hi: null }] },
  { type: 'subscribe', queryId: 2, tableId: 3, filters: [] },
  { type: 'unsubscribe', queryId: 2 },
  { type: 'subscriptionApplied', queryId: 1, tick: 10, tables: [{ tableId: 3, inserts: new Uint8Array([0, 1]), updates: new Uint8Array(0), deletes: new Uint8Array(0) }] },
  { type: 'setArea', queryId: 9, tableId: 3, area: { shape: 'rect', x: 0, y: 0, halfWidth: 50, halfHeight: 40 }, follow: { tableId: 3, pk: new Uint8Array([7]) }, margin: 8 },
  { type: 'setArea', queryId: 9, tableId: 3, area: { shape: 'circle', x: 10.5, y: -3, radius: 64 }, follow: null, margin: null },
  { type: 'tickUpdate', tick: 100, time: 1.7e12, reset: false, tables: [] },
  { type: 'tickUpdate', tick: 101, time: 1.7e12 + 50, reset: true, tables: [{ tableId: 3, inserts: new Uint8Array([1]), updates: new Uint8Array([2, 3]), deletes: new Uint8Array([4]) }] },
  { type: 'error', code: 'RATE_LIMITED', message: 'slow down', requestId: 0, queryId: 0, fatal: false },
  { type: 'ping', id: 1, time: 12.5 },
  { type: 'pong', id: 1, time: 12.5 },
];

describe('frames round-trip', () => {
  it.each(examples.map((f) => [f.type, f] as const))('%s', (_type, frame) => {
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('holds for random frames of every type', () => {
    const enc = new FrameEncoder(64);
    fc.assert(fc.property(frameArb, (frame) => {
      expect(decodeFrame(enc.encode(frame))).toEqual(frame);
    }), { numRuns: 1000 });
  });

  it('reuses one builder: a view stays valid until the next encode, copies forever', () => {
    const enc = new FrameEncoder();
    const a = enc.encode({ type: 'ping', id: 1, time: 1 }).slice();
    const view = enc.encode({ type: 'ping', id: 2, time: 2 });
    expect(decodeFrame(view)).toEqual({ type: 'ping', id: 2, time: 2 });
    expect(decodeFrame(a)).toEqual({ type: 'ping', id: 1, time: 1 });
  });

  it('decodes frames that sit at an odd offset inside a larger buffer (pooled socket buffers)', () => {
    const f = encodeFrame(examples[5]!);
    const big = new Uint8Array(f.length + 3);
    big.set(f, 3);
    expect(decodeFrame(big.subarray(3))).toEqual(examples[5]);
  });

  it('returns views by default and copies with copyBytes', () => {
    const bytes = encodeFrame(examples[4]!);
    const view = decodeFrame(bytes) as Extract<Frame, { type: 'callBatch' }>;
    const copy = decodeFrame(bytes, { copyBytes: true }) as Extract<Frame, { type: 'callBatch' }>;
    expect(view.calls[0]!.args.buffer).toBe(bytes.buffer);
    expect(copy.calls[0]!.args.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expect([...copy.calls[0]!.args]).toEqual([0x80]);
  });

  it('rejects another protocol version with VERSION_MISMATCH', () => {
    const bytes = encodeFrame({ type: 'ping', id: 1, time: 1 });
    // Find the version field through the vtable and bump it.
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const root = dv.getUint32(0, true);
    const vt = root - dv.getInt32(root, true);
    const voff = dv.getUint16(vt + 4, true);
    expect(dv.getUint16(root + voff, true)).toBe(PROTOCOL_VERSION);
    dv.setUint16(root + voff, PROTOCOL_VERSION + 1, true);
    expect(() => decodeFrame(bytes)).toThrow(expect.objectContaining({ code: 'VERSION_MISMATCH' }));
    expect(() => decodeFrame(bytes)).toThrow(ProtocolError);
  });
});
