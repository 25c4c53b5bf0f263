import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { EventEnvelope } from '../envelope';

/**
 * The Kafka record for an envelope: keyed by aggregate id (one aggregate, one partition, in
 * order), the envelope as JSON, and `type`/`version`/`correlation-id` headers so tools and
 * routers can read what an event is without parsing it. The trace context stays in the envelope
 * (`traceparent`) and gets no header: consumers read it from there on both buses, and it survives
 * into dead letters, which carry the envelope but not the record's headers.
 */
export function toKafkaMessage(envelope: EventEnvelope): Message {
  const headers: IHeaders = { type: envelope.type, version: String(envelope.version) };
  if (envelope.correlationId) headers['correlation-id'] = envelope.correlationId;
  return { key: envelope.aggregateId, value: JSON.stringify(envelope), headers };
}

/**
 * The envelope carried by a consumed record, or null when the record is not one (not JSON, or
 * missing the fields every envelope has). Payloads are checked against their schemas by the
 * consumer, not here: the bus only transports.
 */
export function envelopeFrom(message: KafkaMessage): EventEnvelope | null {
  if (!message.value) return null;
  try {
    const parsed: unknown = JSON.parse(message.value.toString('utf8'));
    return isEnvelope(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isEnvelope(value: unknown): value is EventEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.id === 'string' &&
    typeof record.type === 'string' &&
    typeof record.version === 'number' &&
    typeof record.aggregateId === 'string' &&
    'payload' in record
  );
}
