/**
 * Trace context through events (issue 9): an event appended in a span is handled in a consumer span
 * of the same trace, through a real outbox, the relay and the PostgreSQL bus.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import pg from 'pg';
import {
  appendToOutbox,
  createPostgresEventBus,
  currentTraceIds,
  eventSchemas,
  inSpan,
  OutboxRelay,
  serviceLogger,
  startTracing,
  type EventBus,
  type EventEnvelope,
  type OutboxTransaction,
  type Subscription,
  type Tracing,
} from '../src';
import { waitFor } from '../src/events/testing/contract-support';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const log = serviceLogger('event-tracing-test');
log.level = 'silent';
const SOURCE = 'tracing';
const TOPIC = `${SOURCE}.events`;
const OUTBOX_SQL = readFileSync(path.join(__dirname, 'fixtures/outbox/outbox.sql'), 'utf8');

/** Keeps every exported span (the SDK's InMemorySpanExporter forgets them on shutdown, which flushes). */
function recordingExporter(): SpanExporter & { spans: ReadableSpan[] } {
  const spans: ReadableSpan[] = [];
  return {
    spans,
    export: (batch, done) => {
      spans.push(...batch);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
}

/** The outbox part of a Prisma transaction, over one pg client in a transaction. */
function outboxOf(client: pg.PoolClient): OutboxTransaction {
  return {
    outboxEvent: {
      createMany: async ({ data }) => {
        for (const row of data) {
          await client.query(
            `INSERT INTO outbox (id, type, version, occurred_at, source, aggregate_id, correlation_id, causation_id, traceparent, payload)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [row.id, row.type, row.version, row.occurredAt, row.source, row.aggregateId, row.correlationId, row.causationId, row.traceparent, row.payload],
          );
        }
      },
    },
  };
}

const archived = (productId: string) => ({ type: 'ProductArchived', version: 1, aggregateId: productId, payload: { productId } });

/** What a handler saw: the event, and the trace it ran in. */
interface Handled {
  readonly envelope: EventEnvelope;
  readonly ids: ReturnType<typeof currentTraceIds>;
}

describe('trace context through events (PLAT-3)', () => {
  let outboxDb: TestDatabase;
  let busDb: TestDatabase;
  let outbox: pg.Pool;
  let bus: EventBus;
  let tracing: Tracing;
  let exporter: ReturnType<typeof recordingExporter>;
  let relay: OutboxRelay;
  let subscription: Subscription;
  let handled: Handled[];
  let stopped: Promise<void> | undefined;

  beforeEach(async () => {
    [outboxDb, busDb] = await Promise.all([createTestDatabase('trace_outbox'), createTestDatabase('trace_bus')]);
    outbox = new pg.Pool({ connectionString: outboxDb.url, max: 2 });
    outbox.on('error', () => undefined); // dropping the database at the end cuts idle connections
    await outbox.query(OUTBOX_SQL);
    bus = await createPostgresEventBus({ url: busDb.url, log, pollIntervalMs: 100 });
    exporter = recordingExporter();
    tracing = startTracing({ service: 'tracing-test', spanExporter: exporter });
    handled = [];
    // Subscribed inside a span: a consumer must still not hang its events' spans under it.
    subscription = await inSpan('start consumers', {}, () =>
      bus.subscribe({
        group: 'tracing-consumer',
        topics: [TOPIC],
        deadLetterTopic: `${SOURCE}.dlq`,
        fromBeginning: true,
        handle: async (envelope) => {
          handled.push({ envelope, ids: currentTraceIds() });
        },
      }),
    );
    relay = new OutboxRelay({ databaseUrl: outboxDb.url, source: SOURCE, bus, schemas: eventSchemas(), log, pollIntervalMs: 100 });
    await relay.start();
    stopped = undefined;
  });

  /** Stops consuming, relaying and tracing (once), which exports every span recorded. */
  function stopAll(): Promise<void> {
    stopped ??= (async () => {
      await subscription.stop();
      await relay.stop();
      await tracing.shutdown();
    })();
    return stopped;
  }

  afterEach(async () => {
    await stopAll();
    await bus.close();
    await outbox.end();
    await Promise.all([outboxDb.drop(), busDb.drop()]);
  });

  /** Appends `events` in one committed transaction, as a command would. */
  async function commit(events: ReturnType<typeof archived>[]): Promise<void> {
    const client = await outbox.connect();
    try {
      await client.query('BEGIN');
      await appendToOutbox(outboxOf(client), SOURCE, events);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  async function finishedSpans(): Promise<ReadableSpan[]> {
    await stopAll();
    return exporter.spans;
  }

  const consumerSpanOf = (spans: ReadableSpan[], eventId: string) =>
    spans.find((span) => span.kind === SpanKind.CONSUMER && span.attributes['messaging.message.id'] === eventId);

  test('PLAT-3: an event appended inside a span is handled in a consumer span of the same trace, under the producing span', async () => {
    const producer = await inSpan('place order', {}, async () => {
      await commit([archived('p-traced')]);
      return currentTraceIds();
    });
    await waitFor('the traced event to be handled', () => handled.length === 1, 30_000);
    const spans = await finishedSpans();

    const envelope = handled[0]?.envelope;
    expect(envelope?.traceparent).toBe(`00-${producer?.traceId}-${producer?.spanId}-01`);
    const consume = consumerSpanOf(spans, envelope?.id ?? '');
    expect(consume?.name).toBe('consume ProductArchived');
    expect(consume?.spanContext().traceId).toBe(producer?.traceId);
    expect(consume?.parentSpanContext?.spanId).toBe(producer?.spanId);
    expect(consume?.attributes).toMatchObject({
      'messaging.system': 'postgres',
      'messaging.operation.type': 'process',
      'messaging.destination.name': TOPIC,
      'messaging.consumer.group.name': 'tracing-consumer',
      'shop.event.type': 'ProductArchived',
    });
    // The handler ran inside that span, so its own spans and the events it emits continue the trace.
    expect(handled[0]?.ids).toEqual({ traceId: producer?.traceId, spanId: consume?.spanContext().spanId });
    // The relay's batch span belongs to no single trace; it links to the trace of each event it carried.
    const publish = spans.find((span) => span.kind === SpanKind.PRODUCER && span.name === `publish ${TOPIC}`);
    expect(publish?.links.map((link) => link.context.spanId)).toEqual([producer?.spanId]);
  });

  test('PLAT-3: events without a traceparent (written before it existed, or outside any trace) are still handled, each in a trace of its own', async () => {
    await outbox.query(
      `INSERT INTO outbox (id, type, version, occurred_at, source, aggregate_id, payload) VALUES ($1, 'ProductArchived', 1, now(), $2, 'p-old-row', $3)`,
      [randomUUID(), SOURCE, { productId: 'p-old-row' }],
    );
    await commit([archived('p-untraced')]);
    const onTheBus: EventEnvelope = {
      id: randomUUID(),
      type: 'ProductArchived',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: SOURCE,
      aggregateId: 'p-old-envelope',
      correlationId: null,
      causationId: null,
      payload: { productId: 'p-old-envelope' },
    };
    await bus.publish([{ topic: TOPIC, envelope: onTheBus }]);
    await waitFor('all three events to be handled', () => handled.length === 3, 30_000);
    const spans = await finishedSpans();

    expect(handled.map(({ envelope }) => envelope.aggregateId).sort()).toEqual(['p-old-envelope', 'p-old-row', 'p-untraced']);
    expect(handled.map(({ envelope }) => envelope.traceparent ?? null)).toEqual([null, null, null]);
    const consumes = handled.map(({ envelope }) => consumerSpanOf(spans, envelope.id));
    expect(consumes.map((span) => span?.parentSpanContext)).toEqual([undefined, undefined, undefined]);
    expect(new Set(consumes.map((span) => span?.spanContext().traceId)).size).toBe(3);
  });
});
