// Publishes a transport's counters (connections, messages and bytes each way, HTTP requests) in a
// metrics registry, read from transport.stats() at each scrape so the hot path only adds numbers.

import type { MetricsRegistry } from '../http/metrics.ts';
import type { Transport, TransportStats } from './types.ts';

export function registerTransportMetrics(registry: MetricsRegistry, transport: Transport, prefix = 'worldline'): void {
  // One stats() copy per scrape, shared by all the metrics below.
  let snapshot: TransportStats | undefined;
  const stats = (): TransportStats => (snapshot ??= transport.stats());
  registry.gauge({
    name: `${prefix}_connections`,
    help: 'Open WebSocket connections',
    collect: (g) => {
      snapshot = undefined;
      g.set(stats().connections);
    },
  });
  const totals: [string, string, keyof TransportStats][] = [
    ['connections_accepted_total', 'WebSocket connections accepted', 'accepted'],
    ['messages_received_total', 'WebSocket messages received', 'messagesIn'],
    ['bytes_received_total', 'WebSocket payload bytes received', 'bytesIn'],
    ['messages_sent_total', 'WebSocket messages sent', 'messagesOut'],
    ['bytes_sent_total', 'WebSocket payload bytes sent', 'bytesOut'],
    ['http_requests_total', 'HTTP requests received', 'httpRequests'],
  ];
  for (const [name, help, key] of totals) {
    registry.counter({ name: `${prefix}_${name}`, help, collect: (c) => c.setTotal(stats()[key]) });
  }
}
