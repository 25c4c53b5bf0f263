import pg from 'pg';
import { serviceLogger } from '../../logging';
import type { Logger } from '../../logging/logger';
import type { EventBus, OutgoingEvent, SubscribeOptions, Subscription } from '../event-bus';
import { appendEvents, pruneEvents, startGroupOffsets } from './bus-log';
import { BusNotifications } from './bus-notifications';
import { ensureBusTables } from './bus-tables';
import { PostgresSubscription } from './postgres-subscription';

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** How to reach and run the embedded bus. */
export interface PostgresEventBusOptions {
  /** The bus's own database (in embedded mode `shop_bus`); it must exist, the tables are created. */
  readonly url: string;
  readonly log?: Logger;
  /** Partitions per topic (default 8); fixed by the first client that creates the tables. */
  readonly partitions?: number;
  /** How often group members rebalance partitions (default 500 ms). */
  readonly pollIntervalMs?: number;
  /**
   * How long an idle partition worker waits before reading anyway (default 10 × pollIntervalMs).
   * Notifications wake it at once; this poll only covers one lost while the listener reconnected.
   */
  readonly idlePollIntervalMs?: number;
  /** Events older than this are pruned hourly (default 7 days). */
  readonly retentionMs?: number;
  /** How long `close()` waits for handlers in flight before cutting their connections (default 10 s). */
  readonly closeTimeoutMs?: number;
  /** Connections for publishing and reading (default 4); each subscription adds one of its own. */
  readonly poolSize?: number;
}

/** The PostgreSQL bus: an {@link EventBus} that can also prune its log. */
export interface PostgresEventBus extends EventBus {
  readonly kind: 'postgres';
  /** Deletes events published before `olderThan`; returns how many. Groups behind lose them. */
  prune(olderThan: Date): Promise<number>;
}

/**
 * The durable event bus `npm start` runs without Kafka: an append-only log table partitioned by key
 * hash, per-group committed offsets, partition ownership by advisory locks. It keeps the same
 * contract as the Kafka bus (see {@link EventBus}); events survive restarts of every process.
 */
export async function createPostgresEventBus(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
  const log = options.log ?? serviceLogger('event-bus');
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 4, application_name: 'bus:client' });
  pool.on('error', (error) => log.warn({ err: error }, 'event bus idle connection lost'));
  try {
    const partitions = await ensureBusTables(pool, options.partitions ?? 8);
    return new PostgresBus(pool, options, log, partitions);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

class PostgresBus implements PostgresEventBus {
  readonly kind = 'postgres';
  private readonly notifications: BusNotifications;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly pruneTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventBusOptions,
    private readonly log: Logger,
    private readonly partitions: number,
  ) {
    this.notifications = new BusNotifications(options.url, log);
    const retentionMs = options.retentionMs ?? 7 * DAY_MS;
    this.pruneTimer = setInterval(() => void this.pruneQuietly(retentionMs), PRUNE_EVERY_MS).unref();
  }

  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    if (events.length > 0) await appendEvents(this.pool, events, this.partitions);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('event bus is closed');
    for (const topic of options.topics) await startGroupOffsets(this.pool, options.group, topic, this.partitions, options.fromBeginning ?? false);
    await this.notifications.start();
    const pollIntervalMs = this.options.pollIntervalMs ?? 500;
    const idlePollIntervalMs = this.options.idlePollIntervalMs ?? pollIntervalMs * 10;
    const context = { pool: this.pool, bus: this, notifications: this.notifications, options, pollIntervalMs, idlePollIntervalMs, log: this.log };
    const subscription = new PostgresSubscription(this.options.url, context, this.partitions);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.kill();
      throw error;
    }
    this.subscriptions.add(subscription);
    return { stop: () => subscription.stop().finally(() => this.subscriptions.delete(subscription)) };
  }

  async ping(): Promise<boolean> {
    return this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  prune(olderThan: Date): Promise<number> {
    return pruneEvents(this.pool, olderThan);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pruneTimer);
    await Promise.all([...this.subscriptions].map((subscription) => this.stopWithin(subscription, this.options.closeTimeoutMs ?? 10_000)));
    this.subscriptions.clear();
    await this.notifications.close();
    await this.pool.end();
  }

  /** Stops gracefully, or cuts the subscription's connection when a handler takes too long. */
  private async stopWithin(subscription: PostgresSubscription, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([subscription.stop().then(() => 'stopped' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn({ timeoutMs }, 'event bus closed with a handler still running; its event will be redelivered');
      await subscription.kill();
    }
  }

  private async pruneQuietly(retentionMs: number): Promise<void> {
    try {
      const pruned = await this.prune(new Date(Date.now() - retentionMs));
      if (pruned > 0) this.log.info({ pruned }, 'event bus pruned old events');
    } catch (error) {
      this.log.warn({ err: error }, 'event bus prune failed');
    }
  }
}
