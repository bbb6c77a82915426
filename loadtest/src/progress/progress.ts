// The live status line on stderr: rewritten in place on a terminal, a plain line every few
// seconds otherwise (CI logs, pipes), so long runs show progress in both.

export interface ProgressState {
  elapsedS: number;
  durationS: number;
  connected: number;
  bots: number;
  callsPerSec: number;
  errorsPerSec: number;
  rttP99: number;
  tickP99?: number;
  saturated: boolean;
}

export interface ProgressOptions {
  stream: { write(s: string): unknown; isTTY?: boolean };
  /** Seconds between lines when not a terminal: at most this (default 5), and a fifth of the run. */
  plainEveryS?: number;
}

const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

export function formatProgress(p: ProgressState, width = 20): string {
  const frac = Math.min(1, p.durationS > 0 ? p.elapsedS / p.durationS : 0);
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const parts = [
    `${bar} ${fmt(p.elapsedS, 0)}/${fmt(p.durationS, 0)}s`,
    `bots ${p.connected}/${p.bots}`,
    `calls/s ${fmt(p.callsPerSec, 0)}`,
    `errors/s ${fmt(p.errorsPerSec, 0)}`,
    `rtt p99 ${fmt(p.rttP99)} ms`,
  ];
  if (p.tickP99 !== undefined) parts.push(`tick p99 ${fmt(p.tickP99)} ms`);
  if (p.saturated) parts.push('GENERATOR SATURATED');
  return parts.join('  ');
}

export class Progress {
  private readonly tty: boolean;
  private lastPlain = Number.NEGATIVE_INFINITY;
  private shown = false;
  private last: ProgressState | undefined;
  private lastPrinted: ProgressState | undefined;

  constructor(private readonly o: ProgressOptions) {
    this.tty = Boolean(o.stream.isTTY);
  }

  update(p: ProgressState): void {
    this.last = p;
    const line = formatProgress(p);
    if (this.tty) {
      this.o.stream.write(`\r\x1b[2K${line}`);
      this.shown = true;
    } else if (p.elapsedS - this.lastPlain >= Math.min(this.o.plainEveryS ?? 5, Math.max(1, p.durationS / 5))) {
      this.o.stream.write(`${line}\n`);
      this.lastPlain = p.elapsedS;
      this.lastPrinted = p;
    }
  }

  /** Prints a message without breaking the live line. */
  log(message: string): void {
    if (this.tty && this.shown) this.o.stream.write('\r\x1b[2K');
    this.o.stream.write(`${message}\n`);
  }

  /** Ends the live line; without a terminal, prints the final state if it was not printed yet. */
  done(): void {
    if (this.tty && this.shown) this.o.stream.write('\n');
    if (!this.tty && this.last && this.last !== this.lastPrinted) this.o.stream.write(`${formatProgress(this.last)}\n`);
    this.shown = false;
    this.last = this.lastPrinted = undefined;
    this.lastPlain = Number.NEGATIVE_INFINITY;
  }
}
