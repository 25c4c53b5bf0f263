import { setTimeout as sleep } from 'node:timers/promises';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const RETRYABLE_MESSAGE = /deadlock detected|could not serialize access|40P01|40001/;
const MAX_ATTEMPTS = 5;

/** Row locks may queue behind other replicas' work; a transaction gets this long before it fails (and is retried). */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

/** Whether `error` (or anything it wraps) is a serialization failure or a deadlock: the transaction may simply run again. */
export function isTransientConflict(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    if (typeof current !== 'object') return false;
    const candidate = current as { code?: unknown; originalCode?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    if (candidate.code === 'P2034') return true;
    for (const code of [candidate.code, candidate.originalCode]) if (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) return true;
    if (typeof candidate.message === 'string' && RETRYABLE_MESSAGE.test(candidate.message)) return true;
    current = candidate.cause ?? candidate.meta;
  }
  return false;
}

/**
 * Runs `work` (one whole transaction) again after a serialization failure or deadlock, a few
 * times with a short jittered pause; any other error, or the last attempt's, is thrown.
 */
export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}
