// A tiny flag parser for the CLI: `--name value`, `--name=value`, `--flag`, positionals. Unknown
// flags are errors, so a typo does not silently run with defaults.

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], known: Record<string, 'value' | 'flag'>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = known[name];
    if (!kind) throw new Error(`unknown option --${name}; see --help`);
    if (kind === 'flag') { flags.set(name, true); continue; }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positionals, flags };
}

export function intFlag(p: ParsedArgs, name: string, fallback: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative whole number, got '${String(v)}'`);
  return n;
}
