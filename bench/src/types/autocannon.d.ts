/**
 * Minimal local typing of autocannon 8's programmatic API: only what the bench uses. Replace with
 * `@types/autocannon` if it is ever added to the workspace.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** Options of one run. */
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      /** Concurrent connections. */
      connections?: number;
      /** Seconds. */
      duration?: number;
      pipelining?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      title?: string;
    }

    /** A histogram summary; latency values are in ms (whole ms: autocannon's histogram is integral). */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p2_5: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
    }

    /** The result of a finished run. */
    interface Result {
      title?: string;
      url: string;
      connections: number;
      /** Seconds actually run. */
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      '2xx': number;
      latency: Histogram & { totalCount: number };
      /** Requests per second (per one-second sample); `total` completed, `sent` sent. */
      requests: Histogram & { sent: number };
      /** Bytes per second. */
      throughput: Histogram;
      statusCodeStats: Record<string, { count: number }>;
    }

    /** A running job: an event emitter that is also a promise of its result. */
    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
      on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
