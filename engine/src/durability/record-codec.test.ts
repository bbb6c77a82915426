import { describe, expect, it } from 'vitest';
import { checkFrame, decodePayload, encodeRecord, FRAME_HEADER_BYTES } from './record-codec.ts';
import type { LogRecord } from './types.ts';

const alice = 'a1'.repeat(32);

function roundTrip(rec: LogRecord): LogRecord {
  const frame = encodeRecord(rec);
  const c = checkFrame(frame, 0, frame.length);
  expect(c.ok).toBe(true);
  return decodePayload(frame.subarray(FRAME_HEADER_BYTES));
}

describe('log record codec', () => {
  it('round-trips a tick with calls, lifecycle inputs and unusual values', () => {
    const rec: LogRecord = {
      kind: 'tick',
      tick: 2 ** 40 + 5,
      time: 1_700_000_000_123.5,
      seed: 0xdeadbeef,
      hash: '0123456789abcdef',
      inputs: [
        { k: 'init', sender: '0'.repeat(64), conn: 0 },
        { k: 'connect', sender: alice, conn: 7 },
        { k: 'call', reducer: 'transfer', sender: alice, conn: 7, args: { to: 3, amount: 10n, memo: 'héllo', list: [1.5, null] } },
        { k: 'call', reducer: 'odd', sender: 'not-a-hex-identity', conn: 0, args: null },
        { k: 'schedule', reducer: 'tickle', id: 4, extra: { a: 1 } },
        { k: 'disconnect', sender: alice, conn: 7 },
      ],
    };
    expect(roundTrip(rec)).toEqual(rec);
  });

  it('round-trips a restore record', () => {
    const rec: LogRecord = { kind: 'restore', tick: 100, time: 5, toTick: 42, hash: 'ffffffffffffffff' };
    expect(roundTrip(rec)).toEqual(rec);
  });

  it('stores identities as raw bytes, so a call costs little more than its arguments', () => {
    const one = encodeRecord({ kind: 'tick', tick: 1, time: 0, seed: 0, hash: '0'.repeat(16), inputs: [] }).length;
    const inputs = Array.from({ length: 100 }, (_, i) => ({ k: 'call', reducer: 'transfer', sender: alice, conn: i, args: { to: i, amount: 1 } }));
    const many = encodeRecord({ kind: 'tick', tick: 1, time: 0, seed: 0, hash: '0'.repeat(16), inputs }).length;
    expect((many - one) / 100).toBeLessThan(50);
  });

  it('detects any flipped byte and any truncation', () => {
    const frame = encodeRecord({ kind: 'tick', tick: 9, time: 1, seed: 2, hash: 'abcd', inputs: [{ k: 'call', reducer: 'r', sender: alice, conn: 1, args: [1, 2, 3] }] });
    for (let i = 0; i < frame.length; i++) {
      const bad = Buffer.from(frame);
      bad[i] ^= 0x10;
      expect(checkFrame(bad, 0, bad.length).ok, `flip at byte ${i}`).toBe(false);
    }
    for (let n = 0; n < frame.length; n++) expect(checkFrame(frame, 0, n).ok).toBe(false);
  });
});
