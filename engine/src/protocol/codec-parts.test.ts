// The row codec's building blocks: varints, UTF-8, handle sets, handle spaces, update pieces.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ByteWriter } from './byte-writer.ts';
import { ByteReader } from './byte-reader.ts';
import { writeHandleSet, readHandleSet, SET_ALL, SET_BITMAP, SET_LIST, SET_RANGE } from './handle-set.ts';
import { HandleSpace, HandleList } from './handles.ts';
import { RowPieceEncoder } from './row-piece-encoder.ts';
import { ClientFrameAssembler } from './client-frame-assembler.ts';
import { ArrayRowReader } from './row-reader.ts';
import { compileLayout } from './layout.ts';
import { quantize, dequantize, quantizedValue, MAX_QUANT } from './quantize.ts';
import { ProtocolError } from './errors.ts';

const read = (w: ByteWriter): ByteReader => new ByteReader().reset(w.buf.subarray(0, w.pos));

describe('varints', () => {
  it('round-trip unsigned and zigzag safe integers', () => {
    const w = new ByteWriter(16);
    fc.assert(fc.property(fc.array(fc.maxSafeNat()), fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 })), (us, ss) => {
      w.reset();
      for (const u of us) w.varint(u);
      for (const s of ss) w.zigzag(s);
      const r = read(w);
      for (const u of us) expect(r.varint()).toBe(u);
      for (const s of ss) expect(r.zigzag()).toBe(s);
      expect(r.remaining).toBe(0);
    }));
  });

  it('refuse values that are not non-negative safe integers instead of looping', () => {
    const w = new ByteWriter();
    for (const bad of [-1 * 2 ** 40, Infinity, NaN, 2 ** 60, 0.5 + 2 ** 40]) expect(() => w.varint(bad)).toThrow(ProtocolError);
  });

  it('reject over-long and truncated varints', () => {
    expect(() => new ByteReader().reset(new Uint8Array(9).fill(0xff)).varint()).toThrow(expect.objectContaining({ code: 'BAD_VALUE' }));
    expect(() => new ByteReader().reset(new Uint8Array([0x80, 0x80])).varint()).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });

  it('encode UTF-8 exactly like TextEncoder (lone surrogates become U+FFFD)', () => {
    const w = new ByteWriter(4);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
      w.reset();
      w.utf8(s);
      const r = read(w);
      const got = r.bytes(r.varint()), want = new TextEncoder().encode(s);
      if (got.length !== want.length || got.some((b, i) => b !== want[i])) expect([...got]).toEqual([...want]);
    }), { numRuns: 300 });
  });
});

describe('handle sets', () => {
  const sortedSet = fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }).map((a) => Int32Array.from(a.sort((x, y) => x - y)));

  it('round-trip in whichever form is chosen', () => {
    const w = new ByteWriter(8);
    fc.assert(fc.property(sortedSet, (h) => {
      w.reset();
      writeHandleSet(w, h, h.length, false);
      const out = { handles: new Int32Array(1) };
      const r = read(w);
      const n = readHandleSet(r, out, 1 << 20);
      expect([...out.handles.subarray(0, n)]).toEqual([...h]);
      expect(r.remaining).toBe(0);
    }), { numRuns: 500 });
  });

  it('pick the smallest form: range, bitmap, list, or "all" in one byte', () => {
    const form = (h: number[], all = false): number => {
      const w = new ByteWriter();
      writeHandleSet(w, Int32Array.from(h), h.length, all);
      return w.buf[0]! % 4;
    };
    expect(form([5, 6, 7, 8])).toBe(SET_RANGE);
    expect(form(Array.from({ length: 100 }, (_, i) => i * 2))).toBe(SET_BITMAP);
    expect(form([3, 900, 4000])).toBe(SET_LIST);
    const w = new ByteWriter();
    writeHandleSet(w, Int32Array.from([0, 5]), 2, true);
    expect(w.pos).toBe(1);
    expect(w.buf[0]).toBe(SET_ALL);
  });

  it('reject handles at or above the limit', () => {
    const w = new ByteWriter();
    writeHandleSet(w, Int32Array.from([10, 11, 12]), 3, false);
    expect(() => readHandleSet(read(w), { handles: new Int32Array(4) }, 12)).toThrow(expect.objectContaining({ code: 'BAD_HANDLE' }));
  });
});

describe('HandleSpace', () => {
  it('hands out small integers and reuses freed ones', () => {
    const s = new HandleSpace(4);
    expect([s.alloc(), s.alloc(), s.alloc()]).toEqual([0, 1, 2]);
    s.release(1);
    expect(s.alloc()).toBe(1);
    expect(s.size).toBe(3);
    s.alloc();
    expect(() => s.alloc()).toThrow(expect.objectContaining({ code: 'BAD_HANDLE' }));
  });
});

describe('RowPieceEncoder', () => {
  const L = compileLayout({
    id: 1, name: 'p', pkIndex: 0,
    columns: [{ name: 'id', kind: 'u32' }, { name: 'x', kind: 'f32', quant: 0.01 }, { name: 'on', kind: 'bool' }, { name: 'hp', kind: 'i32' }, { name: 'tag', kind: 'string' }],
  });
  const next = new ArrayRowReader(), prev = new ArrayRowReader();

  it('drops columns clients would not see change; returns -1 when nothing is left', () => {
    const enc = new RowPieceEncoder(16);
    prev.values = [1, 10.001, true, 5, 'a'];
    next.values = [1, 10.004, true, 5, 'a'];
    expect(enc.encodeUpdate(L, 0b1111, next, prev)).toBe(-1); // x moved below the step; bool/hp equal
    next.values = [1, 10.5, true, 5, 'a'];
    const id = enc.encodeUpdate(L, 0b0011, next, prev); // the pk bit is ignored
    expect(enc.pieceMask(id)).toBe(0b0010);
    expect(enc.pieceEnd(id) - enc.pieceStart(id)).toBe(1); // +50 quanta: one zigzag byte
  });

  it('sends a bool change as a mask bit alone (the client flips it)', () => {
    const enc = new RowPieceEncoder(16);
    prev.values = [1, 0, false, 0, ''];
    next.values = [1, 0, true, 0, ''];
    const id = enc.encodeUpdate(L, 0b0100, next, prev);
    expect(enc.pieceMask(id)).toBe(0b0100);
    expect(enc.pieceEnd(id)).toBe(enc.pieceStart(id));
  });

  it('grows its buffer and piece table without losing earlier pieces', () => {
    const enc = new RowPieceEncoder(16);
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) {
      next.values = [i, i, i % 2 === 0, i, `tag${i}`];
      ids.push(enc.encodeRow(L, next));
    }
    const r = new ByteReader().reset(enc.writer.buf.subarray(enc.pieceStart(ids[4321]!), enc.pieceEnd(ids[4321]!)));
    expect(r.varint()).toBe(4321);
  });
});

describe('ClientFrameAssembler', () => {
  it('refuses two updates for one handle', () => {
    const enc = new RowPieceEncoder();
    const L = compileLayout({ id: 1, name: 'p', pkIndex: 0, columns: [{ name: 'id', kind: 'u32' }, { name: 'v', kind: 'i32' }] });
    const next = new ArrayRowReader(), prev = new ArrayRowReader();
    next.values = [1, 2];
    prev.values = [1, 1];
    const piece = enc.encodeUpdate(L, 2, next, prev);
    const asm = new ClientFrameAssembler(enc);
    const upd = new HandleList();
    upd.push(3, piece);
    upd.push(1, piece);
    upd.push(3, piece);
    asm.beginTick(1, 0);
    expect(() => asm.addTable(1, null, upd, null)).toThrow(expect.objectContaining({ code: 'BAD_HANDLE' }));
  });
});

describe('quantize', () => {
  it('is exact on the way back for any q, so clients can derive delta bases from values', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constantFrom(0.01, 0.1, 0.3, 1 / 3, 0.5, 2, 0.001), (q, step) => {
      expect(quantize(dequantize(q, step), step)).toBe(q);
    }));
  });

  it('maps non-finite values to 0 and clamps huge ones', () => {
    expect(quantize(NaN, 0.01)).toBe(0);
    expect(quantize(-Infinity, 0.01)).toBe(0);
    expect(quantize(1e300, 0.01)).toBe(MAX_QUANT);
    expect(quantizedValue(1.234567, 0.01)).toBe(1.23);
  });
});
