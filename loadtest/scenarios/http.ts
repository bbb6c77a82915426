// autocannon against the HTTP endpoints: GET /health and POST /v1/call/transfer (JSON body, bearer
// token). --bots is the number of HTTP connections:
//   npm run loadtest -- --scenario http --bots 64 --duration 20 [--url ws://127.0.0.1:3000/ws]
// The token comes from POST /v1/identity unless --param token=<token> gives one.

import { defineHttpScenario } from '../src/scenario/index.ts';
import { worldParams, worldlineServer } from './servers.ts';

export default defineHttpScenario({
  name: 'http',
  description: 'autocannon: 1 GET /health for every 9 POST /v1/call/transfer, one request at a time per connection.',
  servers: { worldline: worldlineServer },
  params: { ...worldParams, entities: 0, token: '' },
  // A call is answered after the tick that runs it commits, so each connection completes about one
  // call per tick: throughput comes from connections (--bots). Pipelining is off because the
  // server answered only a handful of pipelined requests when this was written (issue noted in
  // loadtest/README.md).
  pipelining: 1,
  async requests(params, { httpUrl }) {
    let token = String(params.token);
    if (!token) {
      const res = await fetch(`${httpUrl}/v1/identity`, { method: 'POST' });
      if (!res.ok) throw new Error(`POST /v1/identity answered ${res.status}: pass --param token=<token>`);
      token = ((await res.json()) as { token: string }).token;
    }
    const accounts = Number(params.accounts);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const calls = Array.from({ length: 9 }, (_, i) => ({
      method: 'POST' as const,
      path: '/v1/call/transfer',
      headers,
      body: JSON.stringify({ from: (i * 7919) % accounts, to: (i * 104729) % accounts, amount: 1 }),
    }));
    return [{ method: 'GET' as const, path: '/health' }, ...calls];
  },
});
