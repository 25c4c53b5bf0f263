import path from 'node:path';
import { processEnv } from '@shop/platform';

/** Where the monorepo's root is, seen from bench/dist. */
export const REPO_ROOT = path.join(__dirname, '../..');
/** Where results are written. */
export const RESULTS_DIR = path.join(__dirname, '../results');

/** The bench's settings, from the environment. */
export interface BenchConfig {
  /** Seconds of each measured throughput run (BENCH_DURATION_SECONDS, default 10). */
  readonly durationSeconds: number;
  /** Connections of each throughput run (BENCH_CONNECTIONS, default 10). */
  readonly connections: number;
  /** Seconds of warm-up before each measured run. */
  readonly warmupSeconds: number;
  /** Seconds of each 1-connection latency run. */
  readonly latencySeconds: number;
  /** Extra node flags for the shop process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (BENCH_SHOP_NODE_ARGS). */
  readonly shopNodeArgs: readonly string[];
  /** Seconds to wait for the shop's ready line. */
  readonly readyTimeoutSeconds: number;
  /** Price writes per bus in the events phase (BENCH_EVENT_WRITES, default 300). */
  readonly eventWrites: number;
  /** Writes in flight at once in the events phase. */
  readonly eventConcurrency: number;
  /** The relay's fallback poll interval the shops run with (OUTBOX_POLL_INTERVAL_MS, default 1000). */
  readonly outboxPollIntervalMs: number;
  /** Longest wait, after the last write, for every event to be published and received. */
  readonly eventDeadlineSeconds: number;
}

function positiveInt(name: string, fallback: number): number {
  const raw = processEnv()[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The node flags `npm start` gives the shop (root package.json), so the bench measures the same process. */
const EMBEDDED_NODE_FLAGS = '--max-old-space-size=192';

/** Reads BENCH_* variables; an invalid value throws before anything is started. */
export function loadBenchConfig(): BenchConfig {
  const nodeArgs = processEnv().BENCH_SHOP_NODE_ARGS ?? EMBEDDED_NODE_FLAGS;
  return {
    durationSeconds: positiveInt('BENCH_DURATION_SECONDS', 10),
    connections: positiveInt('BENCH_CONNECTIONS', 10),
    warmupSeconds: 2,
    latencySeconds: 5,
    shopNodeArgs: nodeArgs.split(/\s+/).filter(Boolean),
    readyTimeoutSeconds: 120,
    eventWrites: positiveInt('BENCH_EVENT_WRITES', 300),
    eventConcurrency: 4,
    outboxPollIntervalMs: positiveInt('OUTBOX_POLL_INTERVAL_MS', 1000),
    eventDeadlineSeconds: 60,
  };
}
