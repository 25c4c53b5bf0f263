import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '../logging/correlation';
import { currentTraceparent } from '../tracing/tracing';
import { EventSchemas } from './event-schemas';

/** A domain event as a command produces it: named in the past tense, versioned. */
export interface DomainEvent<Payload = unknown> {
  /** Past-tense type name, e.g. `ProductUpdated`. */
  readonly type: string;
  readonly version: number;
  /** The aggregate the event is about; events of one aggregate stay in order. */
  readonly aggregateId: string;
  readonly payload: Payload;
  /** The event that caused this one, when a consumer emits it. */
  readonly causationId?: string;
}

/** An outbox row: the event envelope (CONTRACT events) waiting to be published. */
export interface OutboxRow {
  id: string;
  type: string;
  version: number;
  occurredAt: Date;
  source: string;
  aggregateId: string;
  correlationId: string | null;
  causationId: string | null;
  traceparent: string | null;
  payload: object;
}

/** The part of a service's Prisma transaction client the outbox needs: its `outbox` table. */
export interface OutboxTransaction {
  outboxEvent: { createMany(args: { data: OutboxRow[] }): Promise<unknown> };
}

/** JSON-safe payload: bigint (money in minor units) travels as a decimal string. */
function jsonPayload(payload: unknown): object {
  return JSON.parse(JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as object;
}

/**
 * Appends events to the service's outbox inside the caller's transaction, so they exist exactly
 * when the change they describe has committed (never published before commit).
 */
export async function appendToOutbox(tx: OutboxTransaction, source: string, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const occurredAt = new Date();
  const traceparent = currentTraceparent();
  const rows = events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    version: event.version,
    occurredAt,
    source,
    aggregateId: event.aggregateId,
    correlationId: currentCorrelationId() ?? null,
    causationId: event.causationId ?? null,
    traceparent,
    payload: jsonPayload(event.payload),
  }));
  // An event without a valid contract fails the command's transaction instead of reaching the bus.
  for (const row of rows) eventSchemas().validate({ ...row, occurredAt: occurredAt.toISOString() });
  await tx.outboxEvent.createMany({ data: rows });
}

let schemas: EventSchemas | undefined;

/** The event contracts, loaded once per process. */
export function eventSchemas(): EventSchemas {
  schemas ??= new EventSchemas();
  return schemas;
}
