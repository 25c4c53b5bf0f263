import pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../logging/logger';
import { inPublishSpan } from '../tracing/tracing';
import { eventsTopic, type EventEnvelope } from './envelope';
import type { EventBus } from './event-bus';
import type { EventBusSettings } from './event-bus-config';
import type { EventSchemas } from './event-schemas';
import { eventSchemas } from './outbox';

/** How a service's outbox is relayed to the bus. */
export interface OutboxRelayOptions {
  /** The service's database: the relay keeps its own two connections (claims, LISTEN), apart from requests'. */
  readonly databaseUrl: string;
  /** The service: events go to `<source>.events`. */
  readonly source: string;
  readonly bus: EventBus;
  readonly schemas: EventSchemas;
  readonly log: Logger;
  readonly batchSize?: number;
  /** Fallback polling when no notification arrives (missed, or LISTEN connection down). */
  readonly pollIntervalMs?: number;
  /** Published rows are deleted after this long. */
  readonly retentionHours?: number;
  readonly registry?: Registry;
}

interface OutboxRow {
  seq: string;
  id: string;
  type: string;
  version: number;
  occurred_at: Date;
  source: string;
  aggregate_id: string;
  correlation_id: string | null;
  causation_id: string | null;
  traceparent: string | null;
  payload: unknown;
}

/** The notification channel a service's outbox trigger signals on commit. */
export const OUTBOX_CHANNEL = 'outbox';

const CLAIM = `
  SELECT seq::text, id::text, type, version, occurred_at, source, aggregate_id, correlation_id, causation_id, traceparent, payload
  FROM outbox WHERE published_at IS NULL ORDER BY outbox.seq LIMIT $1 FOR UPDATE SKIP LOCKED`;
// `outbox.seq`, not `seq`: ORDER BY would otherwise sort the text column of the same name.
/**
 * For each claimed aggregate, its oldest pending row that is not ours: another relay holds it, or it
 * committed after our claim. Only our rows before it may go now, or the aggregate's order breaks.
 */
const FIRST_FOREIGN = `
  SELECT aggregate_id, min(outbox.seq)::text AS seq
  FROM outbox WHERE published_at IS NULL AND aggregate_id = ANY($1::text[]) AND outbox.seq <> ALL($2::bigint[])
  GROUP BY aggregate_id`;

function toEnvelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    source: row.source,
    aggregateId: row.aggregate_id,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    traceparent: row.traceparent,
    payload: row.payload,
  };
}

/**
 * Publishes a service's outbox rows in commit order per aggregate, in batches. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several replicas can relay at once without double work; of each
 * aggregate, only the rows older than any pending row another replica holds go out, the rest wait
 * for the next round, which keeps each aggregate's events in order. A row is marked published only
 * after the bus accepted it (a crash in between means it is published again: at least once,
 * absorbed by consumers' inboxes).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pool: pg.Pool;
  private readonly metrics: ReturnType<typeof relayMetrics> | undefined;
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    this.pool.on('error', (error) => options.log.warn({ err: error }, 'outbox relay connection lost'));
    this.metrics = options.registry ? relayMetrics(options.registry, this.pool) : undefined;
  }

  /** Starts relaying: now, on every commit notification, and every poll interval. */
  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1000);
    this.pruneTimer = setInterval(() => void this.prune(), 10 * 60_000);
    this.wake();
  }

  /** Stops after the batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** Asks for a relay round; rounds never overlap, and a request during one runs another after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.relayBatch()));
    } catch (error) {
      this.options.log.warn({ err: error }, 'outbox relay round failed; retrying on the next poll');
    }
  }

  /** Publishes one batch; true when another may be waiting (a full batch, and it made progress). */
  private async relayBatch(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const claimed = (await client.query<OutboxRow>(CLAIM, [this.batchSize])).rows;
      const publishable = await this.inOrder(client, claimed);
      const envelopes = publishable.map(toEnvelope);
      for (const envelope of envelopes) this.options.schemas.validate(envelope);
      if (envelopes.length > 0) {
        const topic = eventsTopic(this.options.source);
        const attributes = { 'messaging.destination.name': topic, 'messaging.batch.message_count': envelopes.length };
        const traces = envelopes.map((envelope) => envelope.traceparent);
        await inPublishSpan(`publish ${topic}`, attributes, traces, () => this.options.bus.publish(envelopes.map((envelope) => ({ topic, envelope }))));
        await client.query('UPDATE outbox SET published_at = clock_timestamp() WHERE seq = ANY($1::bigint[])', [publishable.map((row) => row.seq)]);
      }
      await client.query('COMMIT');
      this.metrics?.published(publishable);
      return claimed.length === this.batchSize && publishable.length > 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Keeps, per aggregate, our rows older than any pending row we do not hold. */
  private async inOrder(client: pg.PoolClient, claimed: OutboxRow[]): Promise<OutboxRow[]> {
    if (claimed.length === 0) return claimed;
    const aggregates = [...new Set(claimed.map((row) => row.aggregate_id))];
    const foreign = (await client.query<{ aggregate_id: string; seq: string }>(FIRST_FOREIGN, [aggregates, claimed.map((row) => row.seq)])).rows;
    const limit = new Map(foreign.map((row) => [row.aggregate_id, BigInt(row.seq)]));
    return claimed.filter((row) => {
      const before = limit.get(row.aggregate_id);
      return before === undefined || BigInt(row.seq) < before;
    });
  }

  private async listen(): Promise<void> {
    const listener = new pg.Client({ connectionString: this.options.databaseUrl });
    listener.on('notification', () => this.wake());
    listener.on('error', (error) => {
      this.options.log.warn({ err: error }, 'outbox LISTEN connection lost; polling until it is back');
      this.listener = undefined;
      setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    await listener.connect();
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = listener;
  }

  private async prune(): Promise<void> {
    const hours = this.options.retentionHours ?? 72;
    await this.pool
      .query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [hours])
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'outbox prune failed'));
  }
}

/**
 * Starts the relay of a service's outbox with its configured batch size, poll interval and
 * retention; null when the service runs without a bus (its outbox then just fills).
 */
export async function startOutboxRelay(options: {
  databaseUrl: string;
  source: string;
  bus: EventBus | null;
  settings: EventBusSettings;
  log: Logger;
  registry?: Registry;
}): Promise<OutboxRelay | null> {
  if (!options.bus) return null;
  const { settings, ...rest } = options;
  const relay = new OutboxRelay({
    ...rest,
    bus: options.bus,
    schemas: eventSchemas(),
    batchSize: settings.batchSize,
    pollIntervalMs: settings.pollIntervalMs,
    retentionHours: settings.retentionHours,
  });
  await relay.start();
  return relay;
}

/** Backlog, age of the oldest pending row, publish lag and throughput (PLAT-3). */
function relayMetrics(registry: Registry, pool: pg.Pool) {
  const publishedTotal = new Counter({ name: 'outbox_published_total', help: 'Outbox events published', registers: [registry] });
  const lag = new Histogram({
    name: 'outbox_publish_lag_seconds',
    help: 'Time from commit to publish',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'outbox_backlog',
    help: 'Outbox rows waiting to be published',
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
      this.set(Number(rows[0]?.n ?? 0));
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row not yet published',
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ age: number | null }>(
        'SELECT extract(epoch FROM now() - min(occurred_at))::float AS age FROM outbox WHERE published_at IS NULL',
      );
      this.set(rows[0]?.age ?? 0);
    },
  });
  return {
    published(rows: readonly OutboxRow[]) {
      publishedTotal.inc(rows.length);
      const now = Date.now();
      for (const row of rows) lag.observe((now - row.occurred_at.getTime()) / 1000);
    },
  };
}
