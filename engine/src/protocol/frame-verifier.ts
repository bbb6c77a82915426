// Flatbuffers accessors do not bounds-check, so every incoming frame is verified first against
// frame-spec.ts: vtables, fields, offsets, vector and string lengths all inside the buffer, vectors
// under the limits, nesting bounded, and total work bounded by the frame size (a "budget" charged
// per table/vector/string visited, so shared or overlapping offsets cannot multiply the cost).
import { ProtocolError, type ProtocolErrorCode } from './errors.ts';
import { PROTOCOL_VERSION, type ProtocolLimits } from './limits.ts';
import { FrameSpec, type TableSpec } from './frame-spec.ts';

const MAX_DEPTH = 8;

const SCALAR_SIZE: Record<string, number> = { u8: 1, bool: 1, u16: 2, i16: 2, u32: 4, f64: 8 };

class Verifier {
  private budget: number;

  constructor(
    private readonly b: Uint8Array,
    private readonly limits: ProtocolLimits,
  ) {
    this.budget = b.length;
  }

  fail(code: ProtocolErrorCode, msg: string): never {
    throw new ProtocolError(code, msg);
  }

  i32(p: number): number {
    const b = this.b;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  u16(p: number): number {
    return this.b[p]! | (this.b[p + 1]! << 8);
  }

  need(p: number, n: number, what: string): void {
    if (p < 0 || p + n > this.b.length) this.fail('TRUNCATED', `${what} at byte ${p} (+${n}) lies outside the ${this.b.length}-byte frame`);
  }

  spend(n: number): void {
    this.budget -= n;
    if (this.budget < 0) this.fail('TOO_COMPLEX', 'the frame refers to the same data more than once; rejected');
  }

  /** Follows the uoffset stored at `p`; returns the target position, checked to hold 4 bytes. */
  deref(p: number, what: string): number {
    const off = this.i32(p);
    if (off <= 0) this.fail('BAD_OFFSET', `${what}: offset ${off} at byte ${p} is not positive`);
    const target = p + off;
    this.need(target, 4, what);
    return target;
  }

  /** Checks a vector header at `p`; returns its length. */
  vector(p: number, elemSize: number, what: string, bounded: boolean): number {
    const n = this.i32(p);
    if (n < 0) this.fail('BAD_OFFSET', `${what}: negative length`);
    if (bounded && n > this.limits.maxVectorLength) this.fail('TOO_LARGE', `${what} has ${n} elements; the limit is ${this.limits.maxVectorLength}`);
    this.need(p + 4, n * elemSize, what);
    this.spend(4 + n * elemSize);
    return n;
  }

  string(p: number, what: string): void {
    const n = this.vector(p, 1, what, false);
    if (n > this.limits.maxStringBytes) this.fail('TOO_LARGE', `${what} is ${n} bytes; the limit is ${this.limits.maxStringBytes}`);
  }

  /** Verifies a table at `pos` and everything it refers to, per `spec`. */
  table(pos: number, spec: TableSpec, depth: number): void {
    if (depth > MAX_DEPTH) this.fail('TOO_COMPLEX', 'frame nesting is too deep');
    const what = spec.name;
    this.need(pos, 4, what);
    const vt = pos - this.i32(pos);
    this.need(vt, 4, `${what} vtable`);
    const vtSize = this.u16(vt);
    const tblSize = this.u16(vt + 2);
    if (vtSize < 4 || (vtSize & 1) !== 0 || vtSize >= 0x8000) this.fail('BAD_OFFSET', `${what}: vtable size ${vtSize} is invalid`);
    if (tblSize < 4 || tblSize >= 0x8000) this.fail('BAD_OFFSET', `${what}: table size ${tblSize} is invalid`);
    this.need(vt, vtSize, `${what} vtable`);
    this.need(pos, tblSize, what);
    this.spend(tblSize);
    let unionType = 0;
    const fields = spec.fields;
    for (let slot = 0; slot < fields.length; slot++) {
      const vo = 4 + 2 * slot;
      const voff = vo < vtSize ? this.u16(vt + vo) : 0;
      if (voff === 0) continue;
      const [name, f] = fields[slot]!;
      const size = typeof f === 'string' ? (SCALAR_SIZE[f] ?? 4) : 'unionType' in f ? 1 : 4;
      if (voff < 4 || voff + size > tblSize) this.fail('BAD_OFFSET', `${what}.${name}: field offset ${voff} is outside the table`);
      const fp = pos + voff;
      if (typeof f === 'string') {
        if (f in SCALAR_SIZE) continue;
        const target = this.deref(fp, `${what}.${name}`);
        if (f === 'string') this.string(target, `${what}.${name}`);
        else if (f === '[ubyte]') this.vector(target, 1, `${what}.${name}`, false);
        else if (f === '[ushort]') this.vector(target, 2, `${what}.${name}`, true);
        else if (f === '[uint]') this.vector(target, 4, `${what}.${name}`, true);
        else {
          const n = this.vector(target, 4, `${what}.${name}`, true);
          for (let i = 0; i < n; i++) this.string(this.deref(target + 4 + 4 * i, `${what}.${name}[${i}]`), `${what}.${name}[${i}]`);
        }
      } else if ('unionType' in f) {
        unionType = this.b[fp]!;
      } else if ('union' in f) {
        const member = f.union[unionType];
        if (unionType === 0 || member === undefined || member === null) {
          this.fail('UNKNOWN_FRAME', `${what}.${name}: unknown body type ${unionType}`);
        }
        this.table(this.deref(fp, `${what}.${name}`), member, depth + 1);
      } else if ('table' in f) {
        this.table(this.deref(fp, `${what}.${name}`), f.table, depth + 1);
      } else {
        const target = this.deref(fp, `${what}.${name}`);
        const n = this.vector(target, 4, `${what}.${name}`, true);
        for (let i = 0; i < n; i++) this.table(this.deref(target + 4 + 4 * i, `${what}.${name}[${i}]`), f.tables, depth + 1);
      }
    }
  }

  /** The root table position, after checking its header and the version field. */
  root(): number {
    this.need(0, 4, 'root offset');
    const root = this.deref(0, 'root');
    this.need(root, 4, 'Frame');
    const vt = root - this.i32(root);
    this.need(vt, 6, 'Frame vtable');
    const vtSize = this.u16(vt);
    const voff = vtSize >= 6 ? this.u16(vt + 4) : 0;
    const version = voff === 0 ? 0 : (this.need(root + voff, 2, 'Frame.version'), this.u16(root + voff));
    if (version !== PROTOCOL_VERSION) {
      this.fail('VERSION_MISMATCH', `frame has protocol version ${version}; this side speaks version ${PROTOCOL_VERSION}`);
    }
    return root;
  }
}

/** Verifies `bytes` as one Frame. Returns the root table position. Throws ProtocolError. */
export function verifyFrame(bytes: Uint8Array, limits: ProtocolLimits): number {
  if (bytes.length > limits.maxFrameBytes) {
    throw new ProtocolError('TOO_LARGE', `frame of ${bytes.length} bytes exceeds the limit of ${limits.maxFrameBytes}`);
  }
  if (bytes.length < 8) throw new ProtocolError('TRUNCATED', `a frame is at least 8 bytes, got ${bytes.length}`);
  const v = new Verifier(bytes, limits);
  const root = v.root();
  v.table(root, FrameSpec, 0);
  return root;
}
