import { callResiliently, CallTimeoutError, CircuitBreaker, CircuitOpenError } from './circuit-breaker';

const failing = () => Promise.reject(new Error('boom'));

describe('circuit breaker (PAY-6)', () => {
  test('PAY-6: opens after the threshold of consecutive failures, fails fast while open, half-opens after openMs', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('test', { failureThreshold: 3, openMs: 1000, now: () => now });
    for (let i = 0; i < 3; i += 1) await expect(breaker.run(failing)).rejects.toThrow('boom');
    expect(breaker.state).toBe('OPEN');
    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    now = 1000;
    expect(breaker.state).toBe('HALF_OPEN');
    await expect(breaker.run(failing)).rejects.toThrow('boom');
    expect(breaker.state).toBe('OPEN');
    now = 2000;
    await expect(breaker.run(async () => 'ok')).resolves.toBe('ok');
    expect(breaker.state).toBe('CLOSED');
  });

  test('PAY-6: half-open lets exactly one trial through at a time', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('test', { failureThreshold: 1, openMs: 10, now: () => now });
    await expect(breaker.run(failing)).rejects.toThrow();
    now = 10;
    let release: () => void = () => undefined;
    const trial = breaker.run(() => new Promise<string>((resolve) => (release = () => resolve('ok'))));
    await expect(breaker.run(async () => 'second')).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(trial).resolves.toBe('ok');
  });

  test('PAY-6: success resets the failure count', async () => {
    const breaker = new CircuitBreaker('test', { failureThreshold: 2, openMs: 1000 });
    await expect(breaker.run(failing)).rejects.toThrow();
    await breaker.run(async () => 1);
    await expect(breaker.run(failing)).rejects.toThrow();
    expect(breaker.state).toBe('CLOSED');
  });

  test('PAY-6: retries only retryable errors, at most maxAttempts times; a timeout aborts the call', async () => {
    const breaker = new CircuitBreaker('test', { failureThreshold: 100, openMs: 1000 });
    let attempts = 0;
    await expect(callResiliently({ timeoutMs: 1000, maxAttempts: 3, isRetryable: () => true, breaker, backoffMs: 1 }, () => ((attempts += 1), failing()))).rejects.toThrow('boom');
    expect(attempts).toBe(3);
    attempts = 0;
    await expect(callResiliently({ timeoutMs: 1000, maxAttempts: 3, isRetryable: () => false, breaker, backoffMs: 1 }, () => ((attempts += 1), failing()))).rejects.toThrow('boom');
    expect(attempts).toBe(1);
    let aborted = false;
    const hang = (signal: AbortSignal) => new Promise<never>(() => signal.addEventListener('abort', () => (aborted = true)));
    await expect(callResiliently({ timeoutMs: 20, maxAttempts: 1, isRetryable: () => false, breaker }, hang)).rejects.toBeInstanceOf(CallTimeoutError);
    expect(aborted).toBe(true);
  });

  test('PAY-6: an open breaker stops the retries at once', async () => {
    const breaker = new CircuitBreaker('test', { failureThreshold: 2, openMs: 60_000 });
    let attempts = 0;
    await expect(callResiliently({ timeoutMs: 1000, maxAttempts: 5, isRetryable: () => true, breaker, backoffMs: 1 }, () => ((attempts += 1), failing()))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(attempts).toBe(2);
  });
});
