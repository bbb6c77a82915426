// Command-line parsing for `npm run loadtest -- ...`. Pure: takes argv, returns options or throws
// an ArgsError saying what to type instead.

import type { ParamValue } from '../scenario/scenario.ts';

export interface CliOptions {
  scenario: string;
  bots: number;
  durationS: number;
  url?: string;
  target?: string;
  workers?: number;
  connectRate?: number;
  params: Record<string, ParamValue>;
  /** Two configurations (target names or JSON files) to run one after the other and compare. */
  compare?: [string, string];
  outDir?: string;
  label?: string;
  html: boolean;
  /** Seconds to sample; default 1. */
  intervalS: number;
  help: boolean;
}

export class ArgsError extends Error {
  readonly code = 'LOADTEST_ARGS';
}

export const USAGE = `Usage: npm run loadtest -- --scenario <name|path> [options]

  --scenario <name>     a file in loadtest/scenarios/ (wander, game-mix, transfer, chat-storm,
                        connect-storm, slow-readers, scene, http) or a path to your own
  --bots <N>            bots (or HTTP connections for an http scenario). Default 100
  --duration <S>        seconds to run after the first bot connects. Default 30
  --url <ws://host:p>   server to load; without it the harness starts the scenario's server itself
  --target <name>       worldline (default) or colyseus, for scenarios that support both
  --workers <N>         bot processes. Default: one per 1,000 bots, at most the number of cores
  --connect-rate <N>    bots connected per second. Default: the scenario's (500)
  --param <k=v>         scenario parameter, repeatable (e.g. --param entities=100000)
  --compare <A> <B>     run two configurations and print ratios; each is a target name or a
                        JSON file { "label", "target", "url", "params", "bots" }
  --out <dir>           results folder. Default loadtest/results
  --label <text>        name of this run in the report
  --interval <S>        sampling interval in seconds. Default 1
  --no-html             write result.json only
  -h, --help            this text
`;

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n <= 0) {
    throw new ArgsError(`${flag} needs a positive whole number, got ${v === undefined ? 'nothing' : `"${v}"`}`);
  }
  return n;
}

function positiveNumber(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n <= 0) {
    throw new ArgsError(`${flag} needs a positive number, got ${v === undefined ? 'nothing' : `"${v}"`}`);
  }
  return n;
}

/** "100" -> 100, "true" -> true, anything else stays a string. */
export function parseParamValue(v: string): ParamValue {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { scenario: '', bots: 100, durationS: 30, params: {}, html: true, intervalS: 1, help: false };
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw new ArgsError(`${flag} needs a value`);
    return v;
  };
  while (args.length > 0) {
    let a = args.shift()!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      args.unshift(a.slice(eq + 1));
      a = a.slice(0, eq);
    }
    switch (a) {
      case '--scenario':
        o.scenario = value(a);
        break;
      case '--bots':
        o.bots = positiveInt(a, value(a));
        break;
      case '--duration':
        o.durationS = positiveNumber(a, value(a));
        break;
      case '--url': {
        const u = value(a);
        if (!/^wss?:\/\//.test(u)) throw new ArgsError(`--url must start with ws:// or wss://, got "${u}"`);
        o.url = u;
        break;
      }
      case '--target':
        o.target = value(a);
        break;
      case '--workers':
        o.workers = positiveInt(a, value(a));
        break;
      case '--connect-rate':
        o.connectRate = positiveNumber(a, value(a));
        break;
      case '--param': {
        const kv = value(a);
        const i = kv.indexOf('=');
        if (i <= 0) throw new ArgsError(`--param needs key=value, got "${kv}"`);
        o.params[kv.slice(0, i)] = parseParamValue(kv.slice(i + 1));
        break;
      }
      case '--compare':
        o.compare = [value(a), value(a)];
        break;
      case '--out':
        o.outDir = value(a);
        break;
      case '--label':
        o.label = value(a);
        break;
      case '--interval':
        o.intervalS = positiveNumber(a, value(a));
        break;
      case '--no-html':
        o.html = false;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new ArgsError(`unknown option "${a}" (see --help)`);
    }
  }
  if (!o.help && o.scenario === '') throw new ArgsError('--scenario is required (see --help)');
  return o;
}
