// A tick's inputs, compactly: fixed fields (kind, reducer, sender, connection) in a small binary table,
// argument values in one msgpack array, and each argument object's key list stored once per tick.
//
//   [varint input count][varint table length][table][msgpack [names[], shapes[][], values[]]]
//   table, per input: u8 kind, then for a call: varint name, sender, varint conn, varint shape
//   (0 = the args value is stored whole, n = its values follow shape n-1); for connect/disconnect/init:
//   sender, varint conn; for anything else: nothing (the whole input is one value).
//   sender: u8 0 + 32 raw bytes (a 64-hex identity) or u8 1 + varint name.

import { Decoder, Encoder } from '@msgpack/msgpack';
import type { LoggedInput } from './types.ts';

const IN_CALL = 0;
const IN_CONNECT = 1;
const IN_DISCONNECT = 2;
const IN_OTHER = 3;
const IN_INIT = 4;
const SENDER_RAW = 0;
const SENDER_NAME = 1;

/** Lower-case hex digit values; -1 elsewhere (upper case would not round-trip). */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });
const decoder = new Decoder({ useBigInt64: true });

/** One growable scratch buffer reused for every tick (the tick thread encodes one record at a time). */
let buf = Buffer.allocUnsafe(64 * 1024);
let pos = 0;

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  const next = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n));
  buf.copy(next, 0, 0, pos);
  buf = next;
}

function varint(v: number): void {
  ensure(10);
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Per-tick string and shape tables. */
class Tables {
  readonly names: string[] = [];
  readonly shapes: string[][] = [];
  readonly values: unknown[] = [];
  private readonly nameIdx = new Map<string, number>();
  private readonly shapeIdx = new Map<string, number>();

  name(s: string): number {
    let i = this.nameIdx.get(s);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(s);
      this.nameIdx.set(s, i);
    }
    return i;
  }

  shape(known: KnownShape): number {
    let i = this.shapeIdx.get(known.joined);
    if (i === undefined) {
      i = this.shapes.length;
      this.shapes.push(known.keys);
      this.shapeIdx.set(known.joined, i);
    }
    return i;
  }
}

interface KnownShape {
  keys: string[];
  joined: string;
}
/** Last argument shape seen per reducer: calls of one reducer nearly always share it. */
const lastShape = new Map<string, KnownShape>();

function matches(args: Record<string, unknown>, keys: string[]): boolean {
  let j = 0;
  for (const k in args) {
    if (args[k] === undefined) continue;
    if (keys[j] !== k) return false;
    j++;
  }
  return j === keys.length;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** The args' shape number for the table (0 = store whole), pushing its values. */
function packArgs(t: Tables, reducer: string, args: unknown): number {
  if (!isPlainObject(args)) {
    t.values.push(args);
    return 0;
  }
  let known = lastShape.get(reducer);
  if (known === undefined || !matches(args, known.keys)) {
    const keys: string[] = [];
    for (const k in args) if (args[k] !== undefined) keys.push(k);
    known = { keys, joined: keys.join('\u0000') };
    lastShape.set(reducer, known);
  }
  for (let i = 0; i < known.keys.length; i++) t.values.push(args[known.keys[i]]);
  return t.shape(known) + 1;
}

/** Writes a 64-hex identity as 32 bytes after `at`; false (bytes then garbage) if it is not one. */
function writeIdentity(s: string, at: number): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const hi = HEX[s.charCodeAt(2 * i)];
    const lo = HEX[s.charCodeAt(2 * i + 1)];
    if (!(hi >= 0 && lo >= 0)) return false;
    buf[at + i] = (hi << 4) | lo;
  }
  return true;
}

function packSender(t: Tables, sender: string): void {
  ensure(33);
  if (writeIdentity(sender, pos + 1)) {
    buf[pos] = SENDER_RAW;
    pos += 33;
  } else {
    buf[pos++] = SENDER_NAME;
    varint(t.name(sender));
  }
}

/** Encodes inputs; the result is a fresh copy the caller owns. */
export function encodeInputs(inputs: readonly LoggedInput[]): Buffer {
  const t = new Tables();
  pos = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const k = input.k;
    ensure(2);
    if (k === 'call' && typeof input.reducer === 'string' && typeof input.sender === 'string' && isCount(input.conn) && keyCount(input) === 5) {
      buf[pos++] = IN_CALL;
      varint(t.name(input.reducer));
      packSender(t, input.sender);
      varint(input.conn);
      varint(packArgs(t, input.reducer, input.args));
    } else if ((k === 'connect' || k === 'disconnect' || k === 'init') && typeof input.sender === 'string' && isCount(input.conn) && keyCount(input) === 3) {
      buf[pos++] = k === 'connect' ? IN_CONNECT : k === 'disconnect' ? IN_DISCONNECT : IN_INIT;
      packSender(t, input.sender);
      varint(input.conn);
    } else {
      buf[pos++] = IN_OTHER;
      t.values.push(input);
    }
  }
  const tableLen = pos;
  const tail = encoder.encodeSharedRef([t.names, t.shapes, t.values]);
  const head = Buffer.allocUnsafe(20);
  let h = 0;
  for (const v of [inputs.length, tableLen]) {
    let x = v;
    while (x >= 0x80) {
      head[h++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    head[h++] = x;
  }
  const out = Buffer.allocUnsafe(h + tableLen + tail.byteLength);
  head.copy(out, 0, 0, h);
  buf.copy(out, h, 0, tableLen);
  out.set(tail, h + tableLen);
  return out;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

export function decodeInputs(body: Uint8Array): LoggedInput[] {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let p = 0;
  const readVarint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[p++];
      if (byte === undefined) throw new RangeError('input table ends inside a number');
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 0x80;
    }
  };
  const count = readVarint();
  const tableLen = readVarint();
  const tableEnd = p + tableLen;
  // A plain Uint8Array view, so `bytes` arguments come back as Uint8Array rather than Buffer.
  const rest = new Uint8Array(b.buffer, b.byteOffset + tableEnd, b.length - tableEnd);
  const [names, shapes, values] = decoder.decode(rest) as [string[], string[][], unknown[]];
  let vi = 0;
  const sender = (): string => {
    if (b[p++] === SENDER_RAW) {
      p += 32;
      return b.toString('hex', p - 32, p);
    }
    return names[readVarint()];
  };
  const out = new Array<LoggedInput>(count);
  for (let i = 0; i < count; i++) {
    const kind = b[p++];
    if (kind === IN_CALL) {
      const reducer = names[readVarint()];
      const from = sender();
      const conn = readVarint();
      const shape = readVarint();
      let args: unknown;
      if (shape === 0) args = values[vi++] ?? null;
      else {
        const keys = shapes[shape - 1];
        const o: Record<string, unknown> = {};
        for (let j = 0; j < keys.length; j++) o[keys[j]] = values[vi++];
        args = o;
      }
      out[i] = { k: 'call', reducer, sender: from, conn, args };
    } else if (kind === IN_CONNECT || kind === IN_DISCONNECT || kind === IN_INIT) {
      const from = sender();
      out[i] = { k: kind === IN_CONNECT ? 'connect' : kind === IN_DISCONNECT ? 'disconnect' : 'init', sender: from, conn: readVarint() };
    } else if (kind === IN_OTHER) {
      out[i] = values[vi++] as LoggedInput;
    } else {
      throw new RangeError(`unknown input kind ${kind}`);
    }
  }
  if (p !== tableEnd) throw new RangeError('input table length does not match its contents');
  return out;
}
