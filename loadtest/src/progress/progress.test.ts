import { describe, expect, it } from 'vitest';
import { Progress, formatProgress, type ProgressState } from './progress.ts';

const state = (elapsedS: number): ProgressState => ({
  elapsedS, durationS: 100, connected: 50, bots: 100, callsPerSec: 1234, errorsPerSec: 2, rttP99: 3.14, tickP99: 12.5, saturated: false,
});

function sink(isTTY: boolean): { out: string[]; stream: { isTTY: boolean; write(s: string): void } } {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => void out.push(s) } };
}

describe('progress line', () => {
  it('shows bots connected, calls/s, errors and the tick p99', () => {
    const line = formatProgress({ ...state(5), durationS: 10, saturated: true });
    expect(line).toContain('[##########..........] 5/10s');
    expect(line).toContain('bots 50/100');
    expect(line).toContain('calls/s 1234');
    expect(line).toContain('errors/s 2');
    expect(line).toContain('tick p99 12.5 ms');
    expect(line).toContain('GENERATOR SATURATED');
  });

  it('rewrites one line in place on a terminal', () => {
    const s = sink(true);
    const p = new Progress({ stream: s.stream });
    p.update(state(1));
    p.update(state(2));
    p.done();
    expect(s.out.slice(0, 2).every((x) => x.startsWith('\r\x1b[2K') && !x.includes('\n'))).toBe(true);
    expect(s.out.at(-1)).toBe('\n');
  });

  it('prints a plain line every few seconds when not a terminal', () => {
    const s = sink(false);
    const p = new Progress({ stream: s.stream, plainEveryS: 5 });
    for (let t = 1; t <= 12; t++) p.update(state(t));
    expect(s.out).toHaveLength(3); // t = 1, 6, 11
    p.done();
    expect(s.out).toHaveLength(4); // and the final state
    expect(s.out[3]).toContain('12/100s');
    expect(s.out.every((x) => x.endsWith('\n') && !x.includes('\r'))).toBe(true);
  });
});
