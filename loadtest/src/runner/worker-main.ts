// Entry of a bot worker process (forked by the coordinator): runs its bots and reports over IPC.

import { loadDriver } from '../driver/load-driver.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { BotRunner } from './bot-runner.ts';

const send = (m: FromWorker): void => {
  process.send?.(m);
};

let runner: BotRunner | undefined;
let ticker: NodeJS.Timeout | undefined;
let workerId = -1;

process.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    workerId = m.workerId;
    void (async () => {
      try {
        const scenario = await loadScenario(m.scenarioPath);
        if (scenario.kind === 'http') throw new Error('http scenarios run in the coordinator, not in bot workers');
        const driver = await loadDriver(m.driver);
        runner = new BotRunner({ ...m, scenario, driver });
        ticker = setInterval(() => runner && send(runner.report()), m.intervalMs);
        runner.start();
      } catch (e) {
        send({ type: 'failed', workerId: m.workerId, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  } else if (m.type === 'stop') {
    void (async () => {
      if (ticker) clearInterval(ticker);
      if (runner) {
        await runner.stop();
        send(runner.report());
        send({ type: 'done', workerId: workerId });
      }
      process.disconnect?.();
      // Drivers may keep sockets or timers alive; the run is over, so leave promptly.
      setTimeout(() => process.exit(0), 200).unref();
    })();
  }
});

process.on('disconnect', () => process.exit(0));
