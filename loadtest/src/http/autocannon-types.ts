// The part of autocannon's API the HTTP runner uses (the package ships no type declarations).

import type { EventEmitter } from 'node:events';

export interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests?: Array<{ method: string; path: string; headers?: Record<string, string>; body?: string }>;
  timeout?: number;
}

export interface AutocannonHistogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  min: number;
}

export interface AutocannonResult {
  requests: AutocannonHistogram & { total: number; sent: number };
  latency: AutocannonHistogram;
  throughput: AutocannonHistogram & { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

export interface AutocannonInstance extends EventEmitter {
  stop(): void;
}

export type Autocannon = (
  opts: AutocannonOptions,
  cb: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
