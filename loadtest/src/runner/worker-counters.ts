// The counters one worker accumulates between two reports.

import { LogHistogram } from '../stats/log-histogram.ts';

const MAX_ERROR_KINDS = 20;

export class WorkerCounters {
  connected = 0;
  connectOk = 0;
  connectFail = 0;
  drops = 0;
  calls = 0;
  callErrors = 0;
  skipped = 0;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  readonly rtt = new LogHistogram();
  readonly updateLatency = new LogHistogram();
  readonly connectMs = new LogHistogram();
  readonly areaRows = new LogHistogram();
  errors: Record<string, number> = {};

  /** Counts an error message; distinct messages are capped so a storm cannot blow up reports. */
  error(message: string): void {
    // Numbers (ids, amounts) would make every message distinct: fold them.
    const key = message.replace(/\d+/g, 'N').slice(0, 160);
    if (key in this.errors) this.errors[key]!++;
    else if (Object.keys(this.errors).length < MAX_ERROR_KINDS) this.errors[key] = 1;
    else this.errors['(other)'] = (this.errors['(other)'] ?? 0) + 1;
  }

  /** Clears the per-interval counters (not `connected`, which is a gauge). */
  resetInterval(): void {
    this.connectOk = this.connectFail = this.drops = 0;
    this.calls = this.callErrors = this.skipped = 0;
    this.bytesIn = this.bytesOut = this.framesIn = 0;
    this.rtt.reset();
    this.updateLatency.reset();
    this.connectMs.reset();
    this.areaRows.reset();
    this.errors = {};
  }
}
