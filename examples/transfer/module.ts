// The transfer workload: accounts with balances; transfer() moves an amount between two accounts and
// fails on overdraft. Used by the core benchmark, the crash test and the network benchmark.
import { t, table, schema, fail } from '@worldline/engine';

export const account = table('account', {
  id: t.u32().primaryKey().autoInc(),
  balance: t.u32(),
});

const s = schema({ account });

export const transfer = s.reducer({ from: t.u32(), to: t.u32(), amount: t.u32() }, (ctx, { from, to, amount }) => {
  const acc = ctx.db.account;
  const a = acc.get(from, 'balance');
  if (a < amount) fail(`overdraft: account ${from} has ${a}, needs ${amount}`);
  acc.set(from, 'balance', a - amount);
  acc.set(to, 'balance', acc.get(to, 'balance') + amount);
});

/** Creates `count` accounts with `balance` each (ids 1..count). */
export const seed = s.reducer({ count: t.u32(), balance: t.u32() }, (ctx, { count, balance }) => {
  for (let i = 0; i < count; i++) ctx.db.account.insert({ balance });
});

export default s.module({ reducers: { transfer, seed }, tickRate: 20 });
