// The transfer workload: accounts with balances; transfer() moves an amount between two accounts and
// fails on overdraft. Used by the core benchmark, the crash test and the network benchmark.
import { t, table, schema, reject, fail } from '@worldline/engine';

export const account = table('account', {
  id: t.u32().primaryKey().autoInc(),
  balance: t.u32(),
});

const s = schema({ account });

/** The hot-path style: look each account up once, read the column, write by slot; refuse by
 * returning reject() (a throw costs several times a whole call). */
export const transfer = s.reducer({ from: t.u32(), to: t.u32(), amount: t.u32() }, (ctx, { from, to, amount }) => {
  const acc = ctx.db.account;
  const a = acc.slot(from), b = acc.slot(to);
  if (a < 0 || b < 0) return reject(`no account ${a < 0 ? from : to}`);
  const balance = acc.column('balance');
  const have = balance[a]!;
  if (have < amount) return reject(`overdraft: account ${from} has ${have}, needs ${amount}`);
  acc.setAt(a, 'balance', have - amount);
  acc.setAt(b, 'balance', balance[b]! + amount);
});

/** transfer() refusing by throwing fail() instead of returning reject(): the caller gets the same
 * error, but every refusal pays for an exception (bench:core measures both). */
export const transferOrFail = s.reducer({ from: t.u32(), to: t.u32(), amount: t.u32() }, (ctx, { from, to, amount }) => {
  const acc = ctx.db.account;
  const a = acc.slot(from), b = acc.slot(to);
  if (a < 0 || b < 0) fail(`no account ${a < 0 ? from : to}`);
  const balance = acc.column('balance');
  const have = balance[a]!;
  if (have < amount) fail(`overdraft: account ${from} has ${have}, needs ${amount}`);
  acc.setAt(a, 'balance', have - amount);
  acc.setAt(b, 'balance', balance[b]! + amount);
});

/** Creates `count` accounts with `balance` each (ids 1..count). */
export const seed = s.reducer({ count: t.u32(), balance: t.u32() }, (ctx, { count, balance }) => {
  for (let i = 0; i < count; i++) ctx.db.account.insert({ balance });
});

export default s.module({ reducers: { transfer, transferOrFail, seed }, tickRate: 20 });
