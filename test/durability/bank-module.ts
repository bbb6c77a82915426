// The crash test's world: accounts whose balances only move (the total never changes) and a receipt
// per successful transfer, keyed by an id the client chose, so acknowledged calls can be checked.
import { t, table, schema, fail } from '@worldline/engine';

export const ACCOUNTS = 100;
export const OPENING_BALANCE = 1000;
export const TOTAL = ACCOUNTS * OPENING_BALANCE;

export const account = table('account', {
  id: t.u32().primaryKey().autoInc(),
  balance: t.u32(),
});

export const receipt = table('receipt', {
  id: t.u32().primaryKey(),
  from: t.u32(),
  to: t.u32(),
  amount: t.u32(),
});

const s = schema({ account, receipt });

export const transfer = s.reducer({ id: t.u32(), from: t.u32(), to: t.u32(), amount: t.u32() }, (ctx, { id, from, to, amount }) => {
  const acc = ctx.db.account;
  const a = acc.get(from, 'balance');
  if (a < amount) fail(`overdraft: account ${from} has ${a}, needs ${amount}`);
  acc.set(from, 'balance', a - amount);
  acc.set(to, 'balance', acc.get(to, 'balance') + amount);
  ctx.db.receipt.insert({ id, from, to, amount });
});

/** A per-tick system that touches state every tick, so snapshots and replay cover systems too. */
const interest = s.system((ctx) => {
  if (ctx.tick % 10 !== 0) return;
  const acc = ctx.db.account;
  const a = 1 + ctx.randomInt(ACCOUNTS);
  const b = 1 + ctx.randomInt(ACCOUNTS);
  const amount = acc.get(a, 'balance') > 0 ? 1 : 0;
  acc.set(a, 'balance', acc.get(a, 'balance') - amount);
  acc.set(b, 'balance', acc.get(b, 'balance') + amount);
});

export default s.module({
  reducers: { transfer },
  onInit: (ctx) => {
    for (let i = 0; i < ACCOUNTS; i++) ctx.db.account.insert({ balance: OPENING_BALANCE });
  },
  systems: [interest],
  tickRate: 50,
});
