import autocannon from 'autocannon';
import type { Cleanup } from './cleanup';

/** What to load: one URL with one request shape. */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Called before each run, so short-lived headers (signed identities) are fresh. */
  readonly headers: () => Record<string, string>;
  readonly body?: string;
}

/** The figures the bench keeps of one measured run. */
export interface RunSummary {
  readonly target: string;
  readonly connections: number;
  readonly seconds: number;
  /** Mean of autocannon's per-second request counts. */
  readonly requestsPerSecond: number;
  readonly totalRequests: number;
  /** autocannon's percentiles: whole milliseconds (its latency histogram is integral). */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMeanMs: number;
  /** Median of the exact per-response times (sub-millisecond), when samples were collected. */
  readonly exactP50Ms: number | undefined;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** How to run. */
export interface RunOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly cleanup: Cleanup;
  /** Keeps every response time for an exact median (cheap at 1 connection). */
  readonly exactLatency?: boolean;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function runOnce(target: LoadTarget, connections: number, seconds: number, cleanup: Cleanup, samples?: number[]): Promise<autocannon.Result> {
  const instance = autocannon({
    url: target.url,
    method: target.method,
    headers: { 'content-type': 'application/json', ...target.headers() },
    body: target.body,
    connections,
    duration: seconds,
  });
  if (samples) {
    instance.on('response', (_client, status, _bytes, time) => {
      if (status === 200) samples.push(time);
    });
  }
  const unregister = cleanup.add({ name: `stopping the load on ${target.name}`, run: async () => instance.stop() });
  try {
    return await instance;
  } finally {
    unregister();
  }
}

/** A warm-up run (discarded), then the measured run with the same connections. */
export async function measure(target: LoadTarget, options: RunOptions): Promise<RunSummary> {
  await runOnce(target, options.connections, options.warmupSeconds, options.cleanup);
  const samples = options.exactLatency ? [] : undefined;
  const result = await runOnce(target, options.connections, options.seconds, options.cleanup, samples);
  return {
    target: target.name,
    connections: options.connections,
    seconds: result.duration,
    requestsPerSecond: result.requests.average,
    totalRequests: result.latency.totalCount,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    exactP50Ms: samples ? median(samples) : undefined,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
