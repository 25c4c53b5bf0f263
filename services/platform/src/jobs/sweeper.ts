import type { Logger } from '../logging/logger';

/** A running sweeper. */
export interface Sweeper {
  /** Stops after the sweep in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, calls `sweepBatch` until it answers 0 (nothing left to sweep); a failed sweep
 * is logged as `what` and tried again next time. Safe with several replicas when `sweepBatch`
 * claims its rows (`FOR UPDATE SKIP LOCKED`), as expiry sweeps do.
 */
export function startSweeper(what: string, intervalMs: number, sweepBatch: () => Promise<number>, log: Logger): Sweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const sweep = async () => {
    try {
      while (!stopped && (await sweepBatch()) > 0);
    } catch (error) {
      log.error({ err: error }, `${what} failed`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep().then(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
