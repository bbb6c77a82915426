// Development mode: while game code runs, Date.now / Math.random / performance.now report themselves
// (once per reducer) because they make replay diverge. Off in production: it swaps globals per call.

export type Warn = (msg: string) => void;

export class DevGuard {
  private readonly reported = new Set<string>();
  private current = '';
  private readonly realNow = Date.now;
  private readonly realRandom = Math.random;
  private readonly realPerfNow = performance.now.bind(performance);

  constructor(private readonly warn: Warn) {}

  enter(name: string): void {
    this.current = name;
    const report = (what: string, instead: string) => {
      const key = `${this.current}:${what}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
      this.warn(`reducer '${this.current}' called ${what}: use ${instead} instead — wall-clock time and unseeded randomness break replay and time travel`);
    };
    Date.now = () => { report('Date.now()', 'ctx.now'); return this.realNow.call(Date); };
    Math.random = () => { report('Math.random()', 'ctx.random()'); return this.realRandom.call(Math); };
    performance.now = () => { report('performance.now()', 'ctx.now'); return this.realPerfNow(); };
  }

  exit(): void {
    Date.now = this.realNow;
    Math.random = this.realRandom;
    performance.now = this.realPerfNow;
  }
}
