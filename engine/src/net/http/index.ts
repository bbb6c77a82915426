// Public face of HTTP: request/response shapes, the router, JSON/msgpack helpers, the metrics
// registry and Worldline's own routes (/health, /metrics, /v1/call/:reducer).

export { HttpError } from './types.ts';
export type { HttpHandler, HttpRequest, HttpResponse } from './types.ts';
export { Router } from './router.ts';
export type { RouteHandler, RouteParams } from './router.ts';
export { decodeBody, errorResponse, isMsgpackType, json, mediaType, msgpack, reply, text, JSON_TYPE, MSGPACK_TYPE } from './respond.ts';
export { Counter, CounterChild, Gauge, GaugeChild, MetricsRegistry, Summary, SummaryChild, METRICS_CONTENT_TYPE } from './metrics.ts';
export type { CounterOptions, GaugeOptions, MetricOptions, SummaryOptions } from './metrics.ts';
export { registerWorldlineRoutes, defaultStatusForCode } from './routes.ts';
export type { CallOutcome, HealthReport, WorldlineRoutesOptions } from './routes.ts';
