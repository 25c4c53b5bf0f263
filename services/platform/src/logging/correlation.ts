import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header that carries a request's correlation id between every hop. */
export const CORRELATION_HEADER = 'x-correlation-id';

const store = new AsyncLocalStorage<string>();
const VALID_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Runs `work` with `correlationId` visible to every log line and outgoing call inside it. */
export function withCorrelationId<T>(correlationId: string, work: () => T): T {
  return store.run(correlationId, work);
}

/** The current request's correlation id, if any. */
export function currentCorrelationId(): string | undefined {
  return store.getStore();
}

/** Accepts a caller's id when it is sane (it ends up in logs), otherwise creates a new one. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && VALID_ID.test(value) ? value : randomUUID();
}
