// Bot drivers: the client-library seam of the load-test harness.
export type { AreaSpec, BotConnectOptions, BotConnection, BotDriver, BotTraffic, DriverFactory } from './bot-driver.ts';
export { loadDriver, DriverError } from './load-driver.ts';
