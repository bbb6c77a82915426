// Untrusted bytes: decodeFrame must answer every input with a frame or a ProtocolError — never
// another exception, never a hang, never an allocation beyond the frame's size.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as flatbuffers from 'flatbuffers';
import * as fb from './generated/frames-generated.ts';
import { encodeFrame } from './frame-encoder.ts';
import { decodeFrame } from './frame-decoder.ts';
import { ProtocolError } from './errors.ts';
import { PROTOCOL_VERSION, resolveLimits } from './limits.ts';
import { frameArb } from './test-support/arbitraries.ts';

/** Decodes and reports the outcome: 'ok' or the ProtocolError code; rethrows anything else. */
function outcome(bytes: Uint8Array): string {
  try {
    decodeFrame(bytes);
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
}

function frameWith(build: (b: flatbuffers.Builder) => [fb.FrameBody, number]): Uint8Array {
  const b = new flatbuffers.Builder(64);
  const [type, body] = build(b);
  b.finish(fb.Frame.createFrame(b, PROTOCOL_VERSION, type, body));
  return b.asUint8Array().slice();
}

describe('decodeFrame on hostile input', () => {
  it('random bytes give a frame or a ProtocolError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      outcome(bytes);
    }), { numRuns: 5000 });
  });

  it('random bytes behind a valid root offset and version still only give ProtocolErrors', () => {
    // Real frames start with small offsets; plant a plausible header so the verifier goes deeper.
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 256 }), fc.integer({ min: 8, max: 40 }), (bytes, root) => {
      const dv = new DataView(bytes.buffer);
      dv.setUint32(0, root, true);
      outcome(bytes);
    }), { numRuns: 3000 });
  });

  it('every truncation of real frames is rejected or still decodes', () => {
    fc.assert(fc.property(frameArb, (frame) => {
      const bytes = encodeFrame(frame);
      for (let n = 0; n < bytes.length; n++) outcome(bytes.subarray(0, n));
    }), { numRuns: 150 });
  });

  it('real frames with random bytes overwritten give a frame or a ProtocolError', () => {
    fc.assert(fc.property(frameArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (frame, edits) => {
      const bytes = encodeFrame(frame);
      for (const [at, v] of edits) bytes[at % bytes.length] = v;
      outcome(bytes);
    }), { numRuns: 5000 });
  });

  it('rejects frames above the size limit before parsing', () => {
    const limits = resolveLimits({ maxFrameBytes: 100 });
    const big = encodeFrame({ type: 'error', code: 'X', message: 'y'.repeat(200), requestId: 0, queryId: 0, fatal: false });
    expect(() => decodeFrame(big, { limits })).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('rejects a vector claiming more elements than the buffer holds', () => {
    const bytes = encodeFrame({ type: 'callResults', tick: 1, ok: [1, 2, 3], failed: [] });
    const dv = new DataView(bytes.buffer);
    // The ok vector's length is the u32 3 followed by 1, 2, 3.
    for (let p = 0; p + 16 <= bytes.length; p += 4) {
      if (dv.getUint32(p, true) === 3 && dv.getUint32(p + 4, true) === 1 && dv.getUint32(p + 12, true) === 3) {
        dv.setUint32(p, 0x7fffffff, true);
      }
    }
    expect(outcome(bytes)).toBe('TOO_LARGE');
  });

  it('rejects vectors above maxVectorLength even when they fit in the frame', () => {
    const bytes = encodeFrame({ type: 'callResults', tick: 1, ok: Array.from({ length: 50 }, (_, i) => i), failed: [] });
    expect(() => decodeFrame(bytes, { limits: resolveLimits({ maxVectorLength: 10 }) })).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('rejects an unknown body type and a missing body', () => {
    const unknown = frameWith((b) => [13 as fb.FrameBody, fb.Ping.createPing(b, 1, 1)]);
    expect(outcome(unknown)).toBe('UNKNOWN_FRAME');
    const b = new flatbuffers.Builder(64);
    fb.Frame.startFrame(b);
    fb.Frame.addVersion(b, PROTOCOL_VERSION);
    b.finish(fb.Frame.endFrame(b));
    expect(outcome(b.asUint8Array().slice())).toBe('UNKNOWN_FRAME');
  });

  it('rejects shared sub-objects that would multiply decoding work (offset DAG bomb)', () => {
    const bomb = frameWith((b) => {
      const name = b.createString('c');
      const col = fb.ColumnDesc.createColumnDesc(b, name, fb.ColumnKind.U32, 0, 0, false);
      const cols = fb.TableDesc.createColumnsVector(b, new Array(30).fill(col));
      const tname = b.createString('t');
      const table = fb.TableDesc.createTableDesc(b, 1, tname, cols, 0, 0, 0, -1, -1);
      const tables = fb.Welcome.createTablesVector(b, new Array(4000).fill(table));
      const s = b.createString('x');
      return [fb.FrameBody.Welcome, fb.Welcome.createWelcome(b, s, s, 1, s, 20, 1, tables, 0)];
    });
    expect(outcome(bomb)).toBe('TOO_COMPLEX');
  });

  it('rejects a CallBatch whose argument offsets run backwards or past the blob', () => {
    const bad = frameWith((b) => {
      const reqs = fb.CallBatch.createRequestIdsVector(b, [1, 2]);
      const rids = fb.CallBatch.createReducerIdsVector(b, [0, 0]);
      const ends = fb.CallBatch.createArgsEndsVector(b, [3, 1]);
      const args = fb.CallBatch.createArgsVector(b, [1, 2, 3]);
      return [fb.FrameBody.CallBatch, fb.CallBatch.createCallBatch(b, reqs, rids, ends, args, 0)];
    });
    expect(outcome(bad)).toBe('BAD_VALUE');
    const past = frameWith((b) => {
      const reqs = fb.CallBatch.createRequestIdsVector(b, [1]);
      const rids = fb.CallBatch.createReducerIdsVector(b, [0]);
      const ends = fb.CallBatch.createArgsEndsVector(b, [99]);
      const args = fb.CallBatch.createArgsVector(b, [1, 2, 3]);
      return [fb.FrameBody.CallBatch, fb.CallBatch.createCallBatch(b, reqs, rids, ends, args, 0)];
    });
    expect(outcome(past)).toBe('BAD_VALUE');
  });

  it('rejects inconsistent table layouts in a Welcome', () => {
    const bad = frameWith((b) => {
      const name = b.createString('c');
      const col = fb.ColumnDesc.createColumnDesc(b, name, fb.ColumnKind.U32, 0, 0, false);
      const cols = fb.TableDesc.createColumnsVector(b, [col]);
      const tname = b.createString('t');
      const table = fb.TableDesc.createTableDesc(b, 1, tname, cols, 5, 0, 0, -1, -1); // pk column 5 of 1
      const tables = fb.Welcome.createTablesVector(b, [table]);
      const s = b.createString('x');
      return [fb.FrameBody.Welcome, fb.Welcome.createWelcome(b, s, s, 1, s, 20, 1, tables, 0)];
    });
    expect(outcome(bad)).toBe('BAD_LAYOUT');
  });
});
