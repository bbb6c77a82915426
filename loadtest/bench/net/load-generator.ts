// The load generator of `npm run bench:net`, run as a child process so its CPU is its own: either
// many WebSocket connections pipelining CallBatch frames of transfer() calls (each connection keeps
// `window` batches in flight and resends a batch the moment all its results are back), or autocannon
// against POST /v1/call/transfer. Frames are built once up front, so the generator's cost per call is
// reading results. Reports to the parent over IPC.
import WebSocket from 'ws';
import { createRequire } from 'node:module';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { encodeFrame, decodeFrame } from '@worldline/engine/protocol/index.ts';
import type { Autocannon, AutocannonResult } from '../../src/http/autocannon-types.ts';

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface WsLoadOptions {
  mode: 'ws';
  url: string;
  connections: number;
  /** Calls per CallBatch frame. */
  batch: number;
  /** Batches in flight per connection. */
  window: number;
  accounts: number;
  warmupMs: number;
  measureMs: number;
}

export interface HttpLoadOptions {
  mode: 'http';
  url: string;
  token: string;
  connections: number;
  pipelining: number;
  accounts: number;
  seconds: number;
}

export interface WsLoadResult {
  ok: number;
  failed: number;
  failures: Record<string, number>;
  seconds: number;
  /** Per-call round trip (send of its batch to arrival of its result), ms. */
  p50: number;
  p99: number;
  cpuUser: number;
  cpuSystem: number;
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
  cpuUser: number;
  cpuSystem: number;
}

/** Messages the generator sends to the parent. */
export type GeneratorMessage =
  | { kind: 'measuring' }
  | { kind: 'done'; result: WsLoadResult | HttpLoadResult }
  | { kind: 'failed'; error: string };

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Slot { frame: Uint8Array; remaining: number; sentAt: number }

async function runWs(o: WsLoadOptions, send: (m: GeneratorMessage) => void): Promise<WsLoadResult> {
  const rnd = lcg(42);
  let measuring = false, stopped = false;
  let ok = 0, failed = 0;
  const failures: Record<string, number> = {};
  const lat: number[] = [];
  const conns = await Promise.all(Array.from({ length: o.connections }, (_, ci) => new Promise<{ ws: WebSocket; start: () => void }>((resolve, reject) => {
    const ws = new WebSocket(o.url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    const slots: Slot[] = [];
    const fire = (s: Slot) => { s.remaining = o.batch; s.sentAt = performance.now(); ws.send(s.frame); };
    const complete = (s: Slot) => {
      if (measuring) lat.push(performance.now() - s.sentAt);
      if (!stopped) fire(s);
    };
    ws.on('open', () => ws.send(encodeFrame({ type: 'hello', token: null, moduleVersion: null })));
    ws.on('error', reject);
    ws.on('message', (d: Buffer) => {
      const f = decodeFrame(new Uint8Array(d.buffer, d.byteOffset, d.length));
      if (f.type === 'welcome') {
        const reducerId = f.reducers.find((r) => r.name === 'transfer')!.id;
        for (let s = 0; s < o.window; s++) {
          const calls = [];
          for (let i = 0; i < o.batch; i++) {
            const from = 1 + Math.floor(rnd() * o.accounts), to = 1 + Math.floor(rnd() * o.accounts);
            calls.push({ requestId: s * o.batch + i + 1, reducerId, reducerName: null, args: msgpackEncode({ from, to, amount: 1 + Math.floor(rnd() * 10) }) });
          }
          slots.push({ frame: encodeFrame({ type: 'callBatch', calls }).slice(), remaining: 0, sentAt: 0 });
        }
        resolve({ ws, start: () => { for (const s of slots) fire(s); } });
      } else if (f.type === 'callResults') {
        const ids = f.ok;
        if (measuring) ok += ids.length;
        for (let i = 0; i < ids.length; i++) {
          const s = slots[((ids[i]! - 1) / o.batch) | 0]!;
          if (--s.remaining === 0) complete(s);
        }
        for (const x of f.failed) {
          if (measuring) { failed++; failures[x.code] = (failures[x.code] ?? 0) + 1; }
          const s = slots[((x.requestId - 1) / o.batch) | 0]!;
          if (--s.remaining === 0) complete(s);
        }
      } else if (f.type === 'error') {
        reject(new Error(`connection ${ci}: ${f.code}: ${f.message}`));
      }
    });
  })));
  // All connections start together, once every one is open.
  for (const c of conns) c.start();
  await new Promise((r) => setTimeout(r, o.warmupMs)); // warm-up period of the benchmark, not a synchronisation
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  measuring = true;
  send({ kind: 'measuring' });
  await new Promise((r) => setTimeout(r, o.measureMs));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stopped = true;
  for (const c of conns) c.ws.terminate();
  const sorted = Float64Array.from(lat).sort();
  return { ok, failed, failures, seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), cpuUser: cpu.user / 1e6, cpuSystem: cpu.system / 1e6 };
}

async function runHttp(o: HttpLoadOptions, send: (m: GeneratorMessage) => void): Promise<HttpLoadResult> {
  const rnd = lcg(7);
  const headers = { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' };
  const path = new URL(o.url).pathname;
  // autocannon cycles through these on every connection.
  const requests = Array.from({ length: 64 }, () => ({
    method: 'POST', path, headers,
    body: JSON.stringify({ from: 1 + Math.floor(rnd() * o.accounts), to: 1 + Math.floor(rnd() * o.accounts), amount: 1 }),
  }));
  send({ kind: 'measuring' });
  const cpu0 = process.cpuUsage();
  const r = await new Promise<AutocannonResult>((resolve, reject) => {
    autocannon({ url: o.url, connections: o.connections, pipelining: o.pipelining, duration: o.seconds, requests }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors,
    total: r.requests.total, cpuUser: cpu.user / 1e6, cpuSystem: cpu.system / 1e6,
  };
}

// Entry: `node --import tsx load-generator.ts '<options JSON>'` as a child with an IPC channel.
const arg = process.argv[2];
if (arg !== undefined && process.send) {
  const send = (m: GeneratorMessage) => process.send!(m);
  const o = JSON.parse(arg) as WsLoadOptions | HttpLoadOptions;
  (o.mode === 'ws' ? runWs(o, send) : runHttp(o, send)).then(
    (result) => process.send!({ kind: 'done', result } satisfies GeneratorMessage, () => process.exit(0)),
    (e: unknown) => process.send!({ kind: 'failed', error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies GeneratorMessage, () => process.exit(1)),
  );
}
