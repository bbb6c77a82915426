// Parser for the Prometheus text exposition format (version 0.0.4): what GET /metrics returns.
// Samples are grouped into families by their # TYPE line, so a summary's `_sum`/`_count` and a
// histogram's `_bucket` samples land with their family.

export type MetricType = 'counter' | 'gauge' | 'summary' | 'histogram' | 'untyped';

export interface Sample {
  /** The sample's own name (e.g. `rpc_seconds_sum`), not the family's. */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

export class PrometheusParseError extends Error {
  readonly code = 'PROMETHEUS_PARSE';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const SUFFIXES: Record<string, readonly string[]> = {
  summary: ['_sum', '_count'],
  histogram: ['_bucket', '_sum', '_count'],
};

function parseValue(s: string, line: number): number {
  switch (s) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  const v = Number(s);
  if (s === '' || Number.isNaN(v)) throw new PrometheusParseError(`bad value "${s}"`, line);
  return v;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Parses `name{a="x",b="y"} value [timestamp]`. */
function parseSampleLine(text: string, line: number): Sample {
  const m = NAME_RE.exec(text);
  if (!m) throw new PrometheusParseError(`expected a metric name in "${text}"`, line);
  const name = m[0];
  let i = name.length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const labels: Record<string, string> = {};
  if (text[i] === '{') {
    i++;
    for (;;) {
      while (text[i] === ' ' || text[i] === ',') i++;
      if (text[i] === '}') {
        i++;
        break;
      }
      const lm = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
      if (!lm) throw new PrometheusParseError(`bad label name in "${text}"`, line);
      i += lm[0].length;
      while (text[i] === ' ') i++;
      if (text[i] !== '=') throw new PrometheusParseError(`expected ="..." after label ${lm[0]}`, line);
      i++;
      while (text[i] === ' ') i++;
      if (text[i] !== '"') throw new PrometheusParseError(`expected ="..." after label ${lm[0]}`, line);
      i++;
      let v = '';
      for (;;) {
        const c = text[i];
        if (c === undefined) throw new PrometheusParseError('unterminated label value', line);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = text[i++];
          v += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
        } else v += c;
      }
      labels[lm[0]] = v;
    }
  }
  const rest = text.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest[0] === '') throw new PrometheusParseError(`missing value for ${name}`, line);
  const sample: Sample = { name, labels, value: parseValue(rest[0]!, line) };
  if (rest[1] !== undefined) sample.timestampMs = parseValue(rest[1], line);
  return sample;
}

/** Parses a whole exposition into families keyed by family name. Unknown comment lines are skipped. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.trim();
    if (raw === '') continue;
    if (raw.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(raw);
      if (!m) continue;
      const f = family(m[2]!);
      if (m[1] === 'HELP') f.help = m[3]!.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else {
        const t = m[3]!.trim();
        f.type = (['counter', 'gauge', 'summary', 'histogram'].includes(t) ? t : 'untyped') as MetricType;
      }
      continue;
    }
    const s = parseSampleLine(raw, n + 1);
    family(familyNameOf(s.name, families)).samples.push(s);
  }
  return families;
}

/** The family a sample belongs to: itself, or its base name when it carries a summary/histogram suffix. */
function familyNameOf(sampleName: string, families: Map<string, MetricFamily>): string {
  if (families.has(sampleName)) return sampleName;
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suf of suffixes) {
      if (!sampleName.endsWith(suf)) continue;
      const base = sampleName.slice(0, -suf.length);
      if (families.get(base)?.type === type) return base;
    }
  }
  return sampleName;
}

/** Sum of all samples named `name` whose labels include `match`; undefined when none exist. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  match: Record<string, string> = {},
): number | undefined {
  let found = false;
  let total = 0;
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      if (!Object.entries(match).every(([k, v]) => s.labels[k] === v)) continue;
      found = true;
      total += s.value;
    }
  }
  return found ? total : undefined;
}
