import type { EventEnvelope } from './envelope';

/** One message to publish: the envelope, keyed by its aggregate id. */
export interface OutgoingEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
}

/** Where a delivered event came from, for logs and dead letters. */
export interface DeliveryInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on first delivery; higher when the handler failed before and the event is retried. */
  readonly attempt: number;
}

/** A consumer's handler. Throwing means "not processed": the bus retries, then dead-letters. */
export type EventHandler = (envelope: EventEnvelope, delivery: DeliveryInfo) => Promise<void>;

/** How a consumer group subscribes. */
export interface SubscribeOptions {
  /** Consumer group: members of one group share the work; every group sees every event. */
  readonly group: string;
  readonly topics: readonly string[];
  readonly handle: EventHandler;
  /** Where events that still fail after the retries go, with the error (e.g. `catalog.dlq`). */
  readonly deadLetterTopic: string;
  /** Attempts before dead-lettering (default 5), with exponential backoff from `retryBackoffMs` (default 100). */
  readonly maxAttempts?: number;
  readonly retryBackoffMs?: number;
  /** A new group starts at the oldest retained event (true) or at the newest (false, default). */
  readonly fromBeginning?: boolean;
  /**
   * Events are checked against their JSON Schema before the handler sees them; one that breaks its
   * contract is dead-lettered at once. Only bus contract tests, whose events are made up, skip it.
   */
  readonly skipContractCheck?: boolean;
}

/** A running subscription. */
export interface Subscription {
  /** Stops consuming; events in flight finish first; uncommitted ones are redelivered later. */
  stop(): Promise<void>;
}

/**
 * The contract both buses (Kafka, and the embedded PostgreSQL bus) keep: `publish` resolves only
 * once the events are durably accepted; delivery is at least once; events with the same key
 * (aggregate id) are delivered in publish order within a group; a group's members share the keys
 * between them; a handler that keeps failing sends its event to the dead-letter topic and the
 * group moves on.
 */
export interface EventBus {
  /** Which adapter this is, for logs and metrics (`kafka`, `postgres`). */
  readonly kind: string;
  publish(events: readonly OutgoingEvent[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Whether the bus answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A dead letter: the event that failed and why (carried as the DLQ message's value). */
export interface DeadLetter {
  readonly envelope: EventEnvelope;
  readonly group: string;
  readonly error: { readonly message: string; readonly name: string };
  readonly attempts: number;
  readonly failedAt: string;
  readonly origin: { readonly topic: string; readonly partition: number; readonly offset: string };
}
