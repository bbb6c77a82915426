import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, parseParamValue } from './parse-args.ts';

describe('parseArgs', () => {
  it('reads the documented options, with = or space', () => {
    const o = parseArgs([
      '--scenario', 'wander', '--bots=2000', '--duration', '60', '--url', 'ws://127.0.0.1:3000',
      '--workers', '2', '--param', 'entities=100000', '--param', 'name=x=y', '--connect-rate', '250',
      '--out', '/tmp/r', '--label', 'big run', '--no-html', '--interval', '0.5', '--target', 'colyseus',
    ]);
    expect(o).toEqual({
      scenario: 'wander', bots: 2000, durationS: 60, url: 'ws://127.0.0.1:3000', workers: 2,
      params: { entities: 100000, name: 'x=y' }, connectRate: 250, outDir: '/tmp/r', label: 'big run',
      html: false, intervalS: 0.5, target: 'colyseus', help: false,
    });
  });

  it('has defaults and reads --compare as two configurations', () => {
    const o = parseArgs(['--scenario', 'scene', '--compare', 'worldline', 'colyseus']);
    expect(o).toMatchObject({ bots: 100, durationS: 30, html: true, intervalS: 1, compare: ['worldline', 'colyseus'], params: {} });
  });

  it('rejects mistakes with a message saying what to type', () => {
    expect(() => parseArgs([])).toThrow(/--scenario is required/);
    expect(() => parseArgs(['--scenario', 'x', '--bots', '-3'])).toThrow(/positive whole number/);
    expect(() => parseArgs(['--scenario', 'x', '--bots', '1.5'])).toThrow(ArgsError);
    expect(() => parseArgs(['--scenario', 'x', '--url', 'http://a'])).toThrow(/ws:\/\//);
    expect(() => parseArgs(['--scenario', 'x', '--param', 'novalue'])).toThrow(/key=value/);
    expect(() => parseArgs(['--scenario', 'x', '--compare', 'a'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--scenario', 'x', '--frobnicate'])).toThrow(/unknown option "--frobnicate"/);
    try {
      parseArgs(['--bots']);
    } catch (e) {
      expect((e as ArgsError).code).toBe('LOADTEST_ARGS');
    }
  });

  it('lets --help through without a scenario', () => {
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it('types param values', () => {
    expect(parseParamValue('12')).toBe(12);
    expect(parseParamValue('0.5')).toBe(0.5);
    expect(parseParamValue('true')).toBe(true);
    expect(parseParamValue('abc')).toBe('abc');
    expect(parseParamValue('')).toBe('');
  });
});
