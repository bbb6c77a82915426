// How a session paces TickUpdates against its socket's send buffer (the socket is a fake whose
// buffered amount the test sets, standing for a client on a slow link). A resync larger than the
// backpressure threshold goes out once and the deltas after it queue behind it while it drains; a
// client that stops reading is paused; ordinary deltas pause as soon as the buffer passes the
// threshold.
import { it, expect, afterEach } from 'vitest';
import type { Connection } from '../net/index.ts';
import { Session, type SessionDeps } from './session.ts';
import { resolveServerOptions } from './options.ts';
import { newCounters } from './server-metrics.ts';

const KB = 1024;
const THRESHOLD = 64 * KB;

class FakeConnection {
  readonly id = 7;
  readonly remoteAddress = '127.0.0.1';
  readonly request = { url: '/ws', query: '', headers: {} } as unknown as Connection['request'];
  bufferedAmount = 0;
  isOpen = true;
  readonly sent: number[] = [];
  private readonly handlers: Record<string, ((...a: unknown[]) => void)[]> = {};
  send(bytes: Uint8Array): boolean {
    this.sent.push(bytes.length);
    this.bufferedAmount += bytes.length;
    return this.bufferedAmount <= THRESHOLD;
  }
  cork(fn: () => void): void { fn(); }
  close(): void { this.isOpen = false; for (const h of this.handlers['close'] ?? []) h(1000, ''); }
  on(event: string, fn: (...a: unknown[]) => void): void { (this.handlers[event] ??= []).push(fn); }
  off(): void {}
}

const sessions: { conn: FakeConnection }[] = [];
afterEach(() => { for (const s of sessions.splice(0)) s.conn.close(); });

function setup() {
  const conn = new FakeConnection();
  const pauses: number[] = [];
  const deps = {
    world: { disconnect() {} },
    subs: { pause: (id: number) => pauses.push(id), removeClient() {}, resync() {} },
    options: resolveServerOptions({ backpressureBytes: THRESHOLD }),
    counters: newCounters(),
    onClosed() {},
    onApplied() {},
  } as unknown as SessionDeps;
  const session = new Session(conn as unknown as Connection, deps);
  session.identity = 'a'.repeat(64); // past the handshake
  sessions.push({ conn });
  return { conn, session, pauses };
}

const frame = (n: number) => new Uint8Array(n);

it('a resync larger than the threshold goes out once; deltas follow while it drains', () => {
  const { conn, session, pauses } = setup();
  expect(session.sendDelta(frame(500 * KB), true)).toBe(true);
  // The client reads steadily: the buffer shrinks between ticks, and every delta is sent.
  for (let tick = 0; tick < 8; tick++) {
    conn.bufferedAmount = Math.max(0, conn.bufferedAmount - 80 * KB);
    expect(session.sendDelta(frame(10 * KB), false)).toBe(true);
  }
  expect(pauses).toEqual([]);
  expect(session.paused).toBe(false);
  expect(conn.sent.length).toBe(9);
});

it('a client that stops reading after a resync is paused once its buffer grows past what the resync left', () => {
  const { conn, session, pauses } = setup();
  session.sendDelta(frame(500 * KB), true);
  let sent = 0;
  for (let tick = 0; tick < 20 && !session.paused; tick++) if (session.sendDelta(frame(10 * KB), false)) sent++;
  expect(session.paused).toBe(true);
  expect(pauses).toEqual([7]);
  // Bounded: what the resync left, plus the threshold, plus at most one frame.
  expect(conn.bufferedAmount).toBeLessThanOrEqual(500 * KB + THRESHOLD + 10 * KB);
  expect(sent).toBe(6);
});

it('without a resync in flight, a delta that pushes the buffer past the threshold pauses the client', () => {
  const { conn, session, pauses } = setup();
  for (let tick = 0; tick < 10 && !session.paused; tick++) session.sendDelta(frame(20 * KB), false);
  expect(pauses).toEqual([7]);
  expect(conn.bufferedAmount).toBe(80 * KB);
});
