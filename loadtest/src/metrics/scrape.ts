// Fetches /metrics once with a timeout and returns the parsed snapshot (or the reason it failed).

import { parsePrometheusText } from './prometheus-text.ts';
import { snapshotFromFamilies, type ServerSnapshot } from './server-snapshot.ts';

export async function scrapeMetrics(metricsUrl: string, timeoutMs = 2000): Promise<ServerSnapshot | Error> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return new Error(`GET ${metricsUrl} answered ${res.status}`);
    const text = await res.text();
    return snapshotFromFamilies(parsePrometheusText(text), Date.now());
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** ws://host:port/path -> http://host:port/metrics (wss -> https). */
export function metricsUrlFor(wsUrl: string, path = '/metrics'): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = path;
  u.search = '';
  return u.toString();
}
