// Reducer argument validation: compiled per reducer into straight-line code, it is the boundary every
// call from the network crosses. Each kind accepts exactly its values, optional arguments may be left
// out, unknown ones are refused, and failures say what was expected.
import { it, expect } from 'vitest';
import { t } from './column.ts';
import { compileArgValidator } from './args.ts';

const validate = compileArgValidator({
  n: t.u8(), i: t.i32(), f: t.f32(), d: t.f64(), b: t.bool(), s: t.string(), who: t.identity(),
  blob: t.bytes(), kind: t.enum(['a', 'b'] as const), note: t.string().optional(),
});
const ok = () => ({ n: 255, i: -5, f: 1.5, d: -0.25, b: true, s: 'x', who: 'ab'.repeat(32), blob: new Uint8Array([1]), kind: 'b' });

it('accepts well-typed arguments, with or without the optional one', () => {
  expect(validate(ok())).toBeNull();
  expect(validate({ ...ok(), note: 'hi' })).toBeNull();
});

it('refuses each wrong kind with a message naming the argument and what it must be', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ n: 256 }, /'n' must be an integer in 0\.\.255/],
    [{ n: 1.5 }, /'n' must be an integer/],
    [{ i: 2 ** 31 }, /'i' must be an integer in -2147483648\.\.2147483647/],
    [{ f: Number.NaN }, /'f' must be a finite number/],
    [{ d: Infinity }, /'d' must be a finite number/],
    [{ d: '1' }, /'d' must be a finite number/],
    [{ b: 1 }, /'b' must be a boolean/],
    [{ s: 5 }, /'s' must be a string/],
    [{ who: 'AB'.repeat(32) }, /'who' must be an identity/],
    [{ blob: [1] }, /'blob' must be bytes/],
    [{ kind: 'c' }, /'kind' must be one of 'a', 'b'/],
    [{ note: 3 }, /'note' must be a string/],
  ];
  for (const [patch, message] of cases) expect(validate({ ...ok(), ...patch }), JSON.stringify(patch)).toMatch(message);
});

it('refuses missing, unknown and non-object arguments', () => {
  const { s: _s, ...missing } = ok();
  expect(validate(missing)).toBe("missing argument 's'");
  expect(validate({ ...ok(), extra: 1 })).toBe("unknown argument 'extra'");
  for (const bad of [null, 3, 'x', [1], new Uint8Array(2), new Float64Array(1), new DataView(new ArrayBuffer(2))]) expect(validate(bad)).toMatch(/must be an object/);
});

it('turns -0 into 0 in numeric arguments (the replay log has one zero)', () => {
  const args = { ...ok(), i: -0, d: -0 };
  expect(validate(args)).toBeNull();
  expect(Object.is(args.i, 0)).toBe(true);
  expect(Object.is(args.d, 0)).toBe(true);
});
