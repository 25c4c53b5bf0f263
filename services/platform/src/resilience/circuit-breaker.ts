import { setTimeout as sleep } from 'node:timers/promises';

/** How a breaker trips and recovers. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long it stays open before one trial call is let through (half-open). */
  readonly openMs: number;
  /** The clock; tests move it. */
  readonly now?: () => number;
}

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Thrown instead of calling a dependency whose breaker is open. */
export class CircuitOpenError extends Error {
  constructor(readonly breaker: string) {
    super(`circuit ${breaker} is open`);
    this.name = 'CircuitOpenError';
  }
}

/**
 * A circuit breaker per dependency (PAY-6): after `failureThreshold` consecutive failures calls fail
 * fast for `openMs`; then one trial call runs (half-open) and its outcome closes or reopens it.
 * In-process state: each replica protects itself, which is what a breaker is for.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialRunning = false;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return 'CLOSED';
    return this.now() - this.openedAt >= this.options.openMs ? 'HALF_OPEN' : 'OPEN';
  }

  /** Runs `work` unless the breaker is open; counts its failure or success. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'OPEN' || (state === 'HALF_OPEN' && this.trialRunning)) throw new CircuitOpenError(this.name);
    if (state === 'HALF_OPEN') this.trialRunning = true;
    try {
      const result = await work();
      this.failures = 0;
      this.openedAt = null;
      return result;
    } catch (error) {
      this.failures += 1;
      if (state === 'HALF_OPEN' || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
      throw error;
    } finally {
      if (state === 'HALF_OPEN') this.trialRunning = false;
    }
  }
}

/** Thrown when a call did not answer within its time limit. */
export class CallTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`call timed out after ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
  }
}

/** A time limit, bounded retries on retryable errors, and a breaker around one outgoing call. */
export interface ResilientCallOptions {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** Whether an error is worth another attempt (timeouts, 5xx, connection resets). */
  readonly isRetryable: (error: unknown) => boolean;
  readonly breaker: CircuitBreaker;
  /** Pause before attempt n+1 is `backoffMs * n` plus jitter. */
  readonly backoffMs?: number;
}

/**
 * Calls `work` with an AbortSignal that fires at the time limit; retries only retryable failures,
 * at most `maxAttempts` times in all; every attempt goes through the breaker, so an open breaker
 * stops the retries at once with CircuitOpenError.
 */
export async function callResiliently<T>(options: ResilientCallOptions, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.breaker.run(() => withTimeout(options.timeoutMs, work));
    } catch (error) {
      if (error instanceof CircuitOpenError || attempt >= options.maxAttempts || !options.isRetryable(error)) throw error;
      await sleep((options.backoffMs ?? 50) * attempt + Math.random() * 20);
    }
  }
}

async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
