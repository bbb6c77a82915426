// `worldline replay <data-dir> --module <path>`: looks into a world's data directory without changing
// it: the state at any tick or time (table summaries), or --verify to re-execute the whole log.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleDef } from '../module/define.ts';
import { DurabilityError } from '../durability/errors.ts';
import { openReadOnly, type ReadOnlyData } from '../durability/read-only.ts';
import { worldAt } from '../durability/replayer.ts';
import { findTickAtTime } from '../durability/tick-at-time.ts';
import { verifyLog } from '../durability/verify.ts';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIO = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

export const REPLAY_HELP = `Usage: worldline replay <data-dir> --module <path> [options]

Inspects a world's data directory (log/, snapshots/, archive/) without changing anything in it.

Options:
  --module, -m <path>        the game module (a file whose default export is s.module({...}))
  --at <tick | ISO time>     show the world as it was after this tick, or at this time
                             (e.g. --at 72000, --at 2025-01-31T12:00:00Z); default: the last tick
  --rows <n>                 rows to print per table (default 3)
  --table <name>             print only this table (repeatable)
  --verify                   re-execute the whole log, checking each tick's state hash; reports the
                             first divergent tick; exit code 1 if there is one
  --allow-version-mismatch   read data written by another module version
  --help, -h                 this text

Exit codes: 0 ok, 1 divergence or unreadable data, 2 usage error.`;

interface Args {
  dataDir?: string;
  module?: string;
  at?: string;
  rows: number;
  tables: string[];
  verify: boolean;
  allowVersionMismatch: boolean;
  help: boolean;
}

function parse(argv: string[]): Args | string {
  const a: Args = { rows: 3, tables: [], verify: false, allowVersionMismatch: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => {
      const eq = arg.indexOf('=');
      return eq > 0 ? arg.slice(eq + 1) : argv[++i];
    };
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    switch (name) {
      case '--help': case '-h': a.help = true; break;
      case '--verify': a.verify = true; break;
      case '--allow-version-mismatch': a.allowVersionMismatch = true; break;
      case '--module': case '-m': a.module = value(); break;
      case '--at': a.at = value(); break;
      case '--table': { const t = value(); if (t) a.tables.push(t); break; }
      case '--rows': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) return '--rows needs a whole number';
        a.rows = n;
        break;
      }
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        if (a.dataDir !== undefined) return `unexpected argument ${arg} (one data directory only)`;
        a.dataDir = arg;
    }
  }
  return a;
}

async function loadModule(file: string): Promise<ModuleDef> {
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown; module?: unknown };
  const def = (mod.default ?? mod.module) as ModuleDef | undefined;
  if (def?.kind !== 'module') throw new Error(`${file} has no module as its default export (export default s.module({...}))`);
  return def;
}

function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x,
  );
}

function resolveTick(data: ReadOnlyData, at: string | undefined): number {
  const last = data.log.lastTick ?? 0;
  if (at === undefined) return last;
  if (/^\d+$/.test(at)) return Number(at);
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new DurabilityError('NO_SUCH_TICK', `--at ${at}: not a tick number or an ISO time`);
  const tick = findTickAtTime(data, time);
  if (tick === undefined) throw new DurabilityError('NO_SUCH_TICK', `--at ${at}: the log starts after that time`);
  return tick;
}

function describe(data: ReadOnlyData, module: ModuleDef, io: CliIO): void {
  const snaps = data.snapshots.list();
  io.out(`module version ${module.versionHash}${data.storedVersionHash && data.storedVersionHash !== module.versionHash ? ` (data written by ${data.storedVersionHash})` : ''}`);
  io.out(`log: ticks ${data.log.firstTick ?? '-'}..${data.log.lastTick ?? '-'}; snapshots: ${snaps.length ? snaps.join(', ') : 'none'}`);
  for (const d of data.log.dropped) io.err(`warning: ${d.reason} (${d.bytes} bytes after tick ${d.lastGoodTick ?? '-'} are not used)`);
}

function printState(data: ReadOnlyData, tick: number, a: Args, io: CliIO): void {
  const w = worldAt(data, tick);
  io.out(`state after tick ${w.tick}${w.tick > 0 ? ` (${new Date(w.time).toISOString()})` : ' (before the first tick)'}, hash ${w.hash()}`);
  const tables = w.tables as unknown as Record<string, { count: number; iter(): IterableIterator<unknown> }>;
  const names = a.tables.length ? a.tables : Object.keys(tables);
  for (const name of names) {
    const t = tables[name];
    if (!t) {
      io.err(`no table '${name}'; the module has: ${Object.keys(tables).join(', ')}`);
      continue;
    }
    io.out(`  ${name}${name === '__schedule' ? ' (scheduled reducers)' : ''}: ${t.count} row${t.count === 1 ? '' : 's'}`);
    let shown = 0;
    for (const row of t.iter()) {
      if (shown++ >= a.rows) break;
      io.out(`    ${json(row)}`);
    }
    if (t.count > a.rows && a.rows > 0) io.out(`    … ${t.count - a.rows} more`);
  }
}

function verify(data: ReadOnlyData, io: CliIO): number {
  const r = verifyLog(data);
  const from = r.startedFromSnapshot ? `the snapshot of tick ${r.startTick}` : 'tick 0';
  if (r.firstDivergence) {
    const d = r.firstDivergence;
    io.out(`verify: DIVERGENCE at tick ${d.tick}: the log recorded hash ${d.expected}, re-executing gives ${d.actual} (ticks up to ${r.lastGoodTick} match, from ${from})`);
    return 1;
  }
  if (r.unreadable) {
    io.out(`verify: stopped after tick ${r.lastGoodTick}: ${r.unreadable}`);
    return 1;
  }
  io.out(`verify: OK: ${r.checkedTicks} tick(s) re-executed from ${from} to tick ${r.lastGoodTick}, every state hash matches (${r.durationMs.toFixed(0)} ms)`);
  return 0;
}

/** Runs `worldline replay`; returns the exit code. */
export async function runReplayCli(argv: string[], io: CliIO = stdio): Promise<number> {
  const a = parse(argv);
  if (typeof a === 'string') {
    io.err(`worldline replay: ${a}\n\n${REPLAY_HELP}`);
    return 2;
  }
  if (a.help) {
    io.out(REPLAY_HELP);
    return 0;
  }
  if (!a.dataDir || !a.module) {
    io.err(`worldline replay: ${!a.dataDir ? 'a data directory' : '--module <path>'} is required\n\n${REPLAY_HELP}`);
    return 2;
  }
  if (!fs.existsSync(path.join(a.dataDir, 'log'))) {
    io.err(`worldline replay: ${a.dataDir} holds no world data (no log/ directory)`);
    return 2;
  }
  try {
    const module = await loadModule(a.module);
    const data = openReadOnly(a.dataDir, module, { warn: () => {} });
    if (data.storedVersionHash !== undefined && data.storedVersionHash !== module.versionHash && !a.allowVersionMismatch) {
      io.err(
        `worldline replay: ${a.dataDir} was written by module version ${data.storedVersionHash}, ${a.module} is version ${module.versionHash}. ` +
          `Point --module at the version that wrote it, or pass --allow-version-mismatch.`,
      );
      return 2;
    }
    io.out(`data dir ${path.resolve(a.dataDir)}`);
    describe(data, module, io);
    if (a.verify) return verify(data, io);
    printState(data, resolveTick(data, a.at), a, io);
    return 0;
  } catch (e) {
    io.err(`worldline replay: ${(e as Error).message}`);
    return e instanceof DurabilityError ? 1 : 2;
  }
}
