import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging/logger';
import { inConsumerSpan } from '../tracing/tracing';
import { withCorrelationId } from '../logging/correlation';
import type { EventEnvelope } from './envelope';
import type { DeadLetter, DeliveryInfo, EventBus, SubscribeOptions } from './event-bus';
import { consumerMetrics } from './consumer-metrics';
import { eventSchemas } from './outbox';

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 100;

/** The envelope a dead letter travels in (type `EventDeadLettered`, keyed like the failed event). */
export function deadLetterEnvelope(letter: DeadLetter, source: string): EventEnvelope<DeadLetter> {
  return {
    id: randomUUID(),
    type: 'EventDeadLettered',
    version: 1,
    occurredAt: letter.failedAt,
    source,
    aggregateId: letter.envelope.aggregateId,
    correlationId: letter.envelope.correlationId,
    causationId: letter.envelope.id,
    traceparent: letter.envelope.traceparent ?? null,
    payload: letter,
  };
}

/**
 * Runs a subscription's handler for one delivered event, the same way on every bus: under the
 * event's correlation id (in a consumer span of the event's trace when tracing is on), retried
 * with exponential backoff, and after the last attempt published to the dead-letter topic with the
 * error. Resolves when the event may be committed; throws only when even the dead letter could not
 * be published (then the bus must redeliver).
 */
export async function deliverWithRetries(
  bus: Pick<EventBus, 'publish' | 'kind'>,
  options: SubscribeOptions,
  envelope: EventEnvelope,
  origin: Omit<DeliveryInfo, 'attempt'>,
  log: Logger,
): Promise<void> {
  const attempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  const backoff = options.retryBackoffMs ?? DEFAULT_BACKOFF_MS;
  let lastError: unknown;
  if (!options.skipContractCheck) {
    try {
      eventSchemas().validate(envelope);
    } catch (error) {
      // Retrying cannot repair a broken contract: straight to the dead letters.
      return deadLetter(bus, options, envelope, origin, error, 1, log);
    }
  }
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await withCorrelationId(envelope.correlationId ?? envelope.id, () =>
        inConsumerSpan(`consume ${envelope.type}`, envelope.traceparent, () => consumeAttributes(bus, options, envelope, origin, attempt), () =>
          options.handle(envelope, { ...origin, attempt }),
        ),
      );
      consumerMetrics.lag.observe({ group: options.group, type: envelope.type }, (Date.now() - Date.parse(envelope.occurredAt)) / 1000);
      return;
    } catch (error) {
      lastError = error;
      log.warn({ err: error, eventId: envelope.id, type: envelope.type, group: options.group, attempt }, 'event handler failed');
      if (attempt < attempts) await sleep(backoff * 2 ** (attempt - 1));
    }
  }
  await deadLetter(bus, options, envelope, origin, lastError, attempts, log);
}

/** OpenTelemetry's messaging attributes of one handling attempt, plus the event's type. */
function consumeAttributes(bus: Pick<EventBus, 'kind'>, options: SubscribeOptions, envelope: EventEnvelope, origin: Omit<DeliveryInfo, 'attempt'>, attempt: number) {
  return {
    'messaging.system': bus.kind,
    'messaging.operation.type': 'process',
    'messaging.destination.name': origin.topic,
    'messaging.destination.partition.id': String(origin.partition),
    'messaging.consumer.group.name': options.group,
    'messaging.message.id': envelope.id,
    'shop.event.type': envelope.type,
    'shop.event.version': envelope.version,
    'shop.attempt': attempt,
  };
}

async function deadLetter(
  bus: Pick<EventBus, 'publish'>,
  options: SubscribeOptions,
  envelope: EventEnvelope,
  origin: Omit<DeliveryInfo, 'attempt'>,
  error: unknown,
  attempts: number,
  log: Logger,
): Promise<void> {
  const failure = error instanceof Error ? error : new Error(String(error));
  const letter: DeadLetter = {
    envelope,
    group: options.group,
    error: { message: failure.message, name: failure.name },
    attempts,
    failedAt: new Date().toISOString(),
    origin,
  };
  await bus.publish([{ topic: options.deadLetterTopic, envelope: deadLetterEnvelope(letter, options.group) }]);
  consumerMetrics.deadLettered.inc({ group: options.group, type: envelope.type });
  log.error({ eventId: envelope.id, type: envelope.type, group: options.group, deadLetterTopic: options.deadLetterTopic }, 'event dead-lettered');
}
