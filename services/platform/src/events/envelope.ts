/**
 * The envelope every event travels in, on every bus (CONTRACT: events). `type` is past tense
 * (`ProductUpdated`), `version` picks its JSON Schema in `schemas/events/`, `aggregateId` is the
 * message key, so one aggregate's events stay in order.
 */
export interface EventEnvelope<Payload = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  /** ISO-8601 instant the change committed in its service. */
  readonly occurredAt: string;
  /** The producing service, e.g. `catalog`. */
  readonly source: string;
  readonly aggregateId: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  /**
   * W3C trace context of the span the event was appended in, so its consumers' spans join that
   * trace. Absent on events written before it existed and null from producers not tracing.
   */
  readonly traceparent?: string | null;
  readonly payload: Payload;
}

/** The topic of a service's aggregate events (`catalog.events`). */
export function eventsTopic(service: string): string {
  return `${service}.events`;
}

/** The dead-letter topic of a consuming service (`catalog.dlq`). */
export function deadLetterTopic(service: string): string {
  return `${service}.dlq`;
}
