// The network edge logs through the engine's Logger, so the server hands one logger to the world
// and to the transports alike.

export type { Logger } from '../tick/types.ts';
export { consoleLogger, silentLogger } from '../tick/types.ts';
