import type pg from 'pg';
import type { Logger } from '../../logging/logger';
import { deliverWithRetries } from '../deliver-with-retries';
import type { EventBus, SubscribeOptions } from '../event-bus';
import { readAfter, type LoggedEvent } from './bus-log';
import { WakeSignal, type BusNotifications } from './bus-notifications';
import type { LeaseSession, PartitionRef } from './partition-leases';

const BATCH_SIZE = 100;
const ERROR_BACKOFF_MS = 1_000;

/** What a worker shares with its subscription. */
export interface WorkerContext {
  readonly pool: pg.Pool;
  readonly bus: Pick<EventBus, 'publish' | 'kind'>;
  readonly notifications: BusNotifications;
  readonly options: SubscribeOptions;
  /** The group's rebalance period. */
  readonly pollIntervalMs: number;
  /** How long an idle worker sleeps unless a notification wakes it. */
  readonly idlePollIntervalMs: number;
  readonly log: Logger;
}

/**
 * Consumes one owned partition: reads events after the committed offset in order, delivers them one
 * at a time and commits each after its delivery resolved (at least once, in key order).
 */
export class PartitionWorker {
  private stopping = false;
  private readonly signal = new WakeSignal();
  private readonly done: Promise<void>;

  constructor(
    readonly ref: PartitionRef,
    /** The lease the partition is held on; the worker commits through it. */
    readonly session: LeaseSession,
    private readonly context: WorkerContext,
  ) {
    context.notifications.add(ref.topic, ref.partition, this.signal);
    this.done = this.run().finally(() => context.notifications.remove(this.signal));
  }

  /** True once asked to stop (it may still be finishing its event in flight). */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Stops after the event in flight; resolves when the worker has finished. */
  stop(): Promise<void> {
    this.stopping = true;
    this.signal.wake();
    return this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopping && this.session.alive) {
      try {
        await this.consume(await this.session.committedOffset(this.ref));
      } catch (error) {
        if (this.stopping || !this.session.alive) return;
        this.context.log.error({ err: error, group: this.context.options.group, ...this.ref }, 'event bus partition worker failed; retrying');
        await this.signal.sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  private async consume(committed: string): Promise<void> {
    let position = committed;
    while (!this.stopping && this.session.alive) {
      const events = await readAfter(this.context.pool, this.ref.topic, this.ref.partition, position, BATCH_SIZE);
      for (const event of events) {
        if (this.stopping) return;
        await this.deliver(event);
        await this.session.commit(this.ref, event.seq);
        position = event.seq;
      }
      // A short batch was everything committed when it was read; anything later notifies, and a
      // notification that came while delivering is kept by the signal, so no read is needed first.
      if (events.length < BATCH_SIZE) await this.signal.sleep(this.context.idlePollIntervalMs);
    }
  }

  private deliver(event: LoggedEvent): Promise<void> {
    const { bus, options, log } = this.context;
    return deliverWithRetries(bus, options, event.envelope, { ...this.ref, offset: event.seq }, log);
  }
}
