// A Prometheus text-format (0.0.4) metrics registry: counters, gauges (set directly or pulled at
// render time) and summaries whose quantiles come from a bounded window of recent observations.
// Hot code resolves a labelled child once with `with(...)` and then only adds numbers.

import { NetError } from '../errors.ts';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type LabelValues<L extends string> = Readonly<Record<L, string | number>>;

export interface MetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface CounterOptions<L extends string> extends MetricOptions<L> {
  /** Called at each render to mirror a total kept elsewhere (e.g. transport.stats()); use setTotal. */
  collect?: (counter: Counter<L>) => void;
}

export interface GaugeOptions<L extends string> extends MetricOptions<L> {
  /** Called at each render, to pull values (e.g. open connections) instead of pushing them. */
  collect?: (gauge: Gauge<L>) => void;
}

export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  /** Quantiles to report, each in [0, 1]. Default [0.5, 0.9, 0.99]. */
  quantiles?: readonly number[];
  /** How many recent observations the quantiles are computed over. Default 1024. */
  window?: number;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

abstract class Metric<L extends string, C> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  protected readonly children = new Map<string, { labels: string; child: C }>();

  constructor(opts: MetricOptions<L>, readonly type: string) {
    if (!NAME_RE.test(opts.name)) {
      throw new NetError('BAD_OPTION', `metric name "${opts.name}" is invalid; use letters, digits, '_' and ':'`);
    }
    for (const l of opts.labelNames ?? []) {
      if (!LABEL_RE.test(l) || l.startsWith('__') || l === 'quantile') {
        throw new NetError('BAD_OPTION', `label name "${l}" on metric ${opts.name} is invalid or reserved`);
      }
    }
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames ?? [];
  }

  protected abstract create(): C;

  /** The child for one combination of label values; resolve once, keep the handle. */
  with(labels: LabelValues<L>): C {
    let key = '';
    let rendered = '';
    for (let i = 0; i < this.labelNames.length; i++) {
      const n = this.labelNames[i];
      const v = labels[n];
      if (v === undefined) throw new NetError('BAD_OPTION', `metric ${this.name} needs label "${n}"`);
      key += (i ? '\u0000' : '') + String(v);
      rendered += `${i ? ',' : ''}${n}="${escapeLabel(String(v))}"`;
    }
    let entry = this.children.get(key);
    if (!entry) {
      entry = { labels: rendered, child: this.create() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  protected child(labels: LabelValues<L> | undefined): C {
    return this.with(labels ?? ({} as LabelValues<L>));
  }

  /** Drops every labelled child (e.g. when the label set is per-connection and the connection left). */
  reset(): void {
    this.children.clear();
  }

  abstract renderSamples(out: string[]): void;

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    this.renderSamples(out);
  }

  protected sample(out: string[], suffix: string, labels: string, value: number): void {
    out.push(`${this.name}${suffix}${labels ? `{${labels}}` : ''} ${formatValue(value)}`);
  }
}

export class CounterChild {
  value = 0;
  inc(n = 1): void {
    if (n < 0) throw new NetError('BAD_OPTION', 'a counter only goes up; use a gauge for values that fall');
    this.value += n;
  }
}

export class Counter<L extends string = never> extends Metric<L, CounterChild> {
  private readonly collect?: (counter: Counter<L>) => void;
  constructor(opts: CounterOptions<L>) {
    super(opts, 'counter');
    this.collect = opts.collect;
  }
  protected create(): CounterChild {
    return new CounterChild();
  }
  inc(n = 1, labels?: LabelValues<L>): void {
    this.child(labels).inc(n);
  }
  get(labels?: LabelValues<L>): number {
    return this.child(labels).value;
  }
  /** Mirrors a running total counted elsewhere (only from collect; totals must not fall). */
  setTotal(value: number, labels?: LabelValues<L>): void {
    this.child(labels).value = value;
  }
  renderSamples(out: string[]): void {
    this.collect?.(this);
    for (const { labels, child } of this.children.values()) this.sample(out, '', labels, child.value);
  }
}

export class GaugeChild {
  value = 0;
  set(v: number): void {
    this.value = v;
  }
  inc(n = 1): void {
    this.value += n;
  }
  dec(n = 1): void {
    this.value -= n;
  }
}

export class Gauge<L extends string = never> extends Metric<L, GaugeChild> {
  private readonly collect?: (gauge: Gauge<L>) => void;
  constructor(opts: GaugeOptions<L>) {
    super(opts, 'gauge');
    this.collect = opts.collect;
  }
  protected create(): GaugeChild {
    return new GaugeChild();
  }
  set(v: number, labels?: LabelValues<L>): void {
    this.child(labels).set(v);
  }
  inc(n = 1, labels?: LabelValues<L>): void {
    this.child(labels).inc(n);
  }
  dec(n = 1, labels?: LabelValues<L>): void {
    this.child(labels).dec(n);
  }
  get(labels?: LabelValues<L>): number {
    return this.child(labels).value;
  }
  renderSamples(out: string[]): void {
    this.collect?.(this);
    for (const { labels, child } of this.children.values()) this.sample(out, '', labels, child.value);
  }
}

/** Count and sum over all time; quantiles over the last `window` observations (a ring buffer). */
export class SummaryChild {
  count = 0;
  sum = 0;
  private readonly ring: Float64Array;
  private filled = 0;
  private pos = 0;

  constructor(window: number) {
    this.ring = new Float64Array(window);
  }

  observe(v: number): void {
    this.count++;
    this.sum += v;
    this.ring[this.pos] = v;
    this.pos = this.pos + 1 === this.ring.length ? 0 : this.pos + 1;
    if (this.filled < this.ring.length) this.filled++;
  }

  /** Nearest-rank quantiles over the window, in the order asked; NaN when nothing was observed. */
  quantiles(qs: readonly number[]): number[] {
    if (this.filled === 0) return qs.map(() => NaN);
    const sorted = this.ring.slice(0, this.filled).sort();
    return qs.map((q) => sorted[Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1))]);
  }

  quantile(q: number): number {
    return this.quantiles([q])[0];
  }
}

export class Summary<L extends string = never> extends Metric<L, SummaryChild> {
  readonly quantiles: readonly number[];
  private readonly window: number;

  constructor(opts: SummaryOptions<L>) {
    super(opts, 'summary');
    this.quantiles = opts.quantiles ?? [0.5, 0.9, 0.99];
    this.window = opts.window ?? 1024;
    if (this.quantiles.some((q) => !(q >= 0 && q <= 1))) {
      throw new NetError('BAD_OPTION', `summary ${opts.name}: quantiles must lie in [0, 1]`);
    }
    if (!Number.isInteger(this.window) || this.window < 1) {
      throw new NetError('BAD_OPTION', `summary ${opts.name}: window must be a positive integer`);
    }
  }
  protected create(): SummaryChild {
    return new SummaryChild(this.window);
  }
  observe(v: number, labels?: LabelValues<L>): void {
    this.child(labels).observe(v);
  }
  renderSamples(out: string[]): void {
    for (const { labels, child } of this.children.values()) {
      const values = child.quantiles(this.quantiles);
      for (let i = 0; i < values.length; i++) {
        const q = `quantile="${this.quantiles[i]}"`;
        this.sample(out, '', labels ? `${labels},${q}` : q, values[i]);
      }
      this.sample(out, '_sum', labels, child.sum);
      this.sample(out, '_count', labels, child.count);
    }
  }
}

export class MetricsRegistry {
  readonly contentType = METRICS_CONTENT_TYPE;
  private readonly metrics = new Map<string, Metric<string, unknown>>();

  private add<M extends Metric<string, unknown>>(metric: M): M {
    if (this.metrics.has(metric.name)) {
      throw new NetError('BAD_OPTION', `metric ${metric.name} is already registered; register it once and share the handle`);
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter<const L extends string = never>(opts: CounterOptions<L>): Counter<L> {
    return this.add(new Counter<L>(opts));
  }

  gauge<const L extends string = never>(opts: GaugeOptions<L>): Gauge<L> {
    return this.add(new Gauge<L>(opts));
  }

  summary<const L extends string = never>(opts: SummaryOptions<L>): Summary<L> {
    return this.add(new Summary<L>(opts));
  }

  /** The whole registry in Prometheus text exposition format. */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics.values()) m.render(out);
    out.push('');
    return out.join('\n');
  }
}
