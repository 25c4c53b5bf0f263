import type { Subscription } from '../event-bus';
import { LeaseSession, type PartitionRef } from './partition-leases';
import { PartitionWorker, type WorkerContext } from './partition-worker';

function unitKey(ref: PartitionRef): string {
  return `${ref.topic}\u0000${ref.partition}`;
}

/** `items` starting at a random index, so members of a group do not all race for the same partitions. */
function randomlyRotated<T>(items: readonly T[]): T[] {
  const start = Math.floor(Math.random() * items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * One group member. Every `pollIntervalMs` it counts the group's live members and moves towards its
 * fair share of the partitions, ceil(partitions / members): it gives back extra ones (after their
 * event in flight) and takes free ones. A member that dies frees its partitions with its session and
 * the others take them over from the committed offsets.
 */
export class PostgresSubscription implements Subscription {
  private session: LeaseSession | undefined;
  private readonly workers = new Map<string, PartitionWorker>();
  private readonly units: readonly PartitionRef[];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly context: WorkerContext,
    partitions: number,
  ) {
    this.units = context.options.topics.flatMap((topic) => Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  }

  /** Joins the group and takes a first share of partitions; rejects when the database is unreachable. */
  async start(): Promise<void> {
    this.ticking = this.tick();
    await this.ticking;
    this.schedule();
  }

  /** Stops after the events in flight, then ends the session, releasing its partitions. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking.catch(() => undefined);
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    await this.session?.end();
  }

  /** Ends the session now: handlers still running can no longer commit, so their events are redelivered. */
  async kill(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const worker of this.workers.values()) void worker.stop();
    this.workers.clear();
    await this.session?.end();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.context.log.warn({ err: error, group: this.context.options.group }, 'event bus rebalance failed'))
        .finally(() => this.schedule());
    }, this.context.pollIntervalMs);
  }

  private async tick(): Promise<void> {
    const session = await this.liveSession();
    const target = Math.ceil(this.units.length / (await session.memberCount()));
    const owned = [...this.workers.values()].filter((worker) => !worker.stopped);
    for (const worker of owned.slice(target)) this.release(worker);
    if (owned.length < target) await this.acquire(session, target - owned.length);
  }

  private async liveSession(): Promise<LeaseSession> {
    if (this.session?.alive) return this.session;
    for (const worker of this.workers.values()) void worker.stop();
    this.workers.clear();
    this.session = await LeaseSession.open(this.url, this.context.options.group, this.context.log);
    return this.session;
  }

  private async acquire(session: LeaseSession, wanted: number): Promise<void> {
    let missing = wanted;
    for (const ref of randomlyRotated(this.units)) {
      if (missing === 0 || this.stopped) return;
      if (this.workers.has(unitKey(ref)) || !(await session.tryAcquire(ref))) continue;
      if (this.stopped) return;
      this.workers.set(unitKey(ref), new PartitionWorker(ref, session, this.context));
      missing -= 1;
    }
  }

  private release(worker: PartitionWorker): void {
    const key = unitKey(worker.ref);
    void worker
      .stop()
      .then(() => (worker.session.alive ? worker.session.release(worker.ref) : undefined))
      .catch((error: unknown) => {
        if (worker.session.alive) this.context.log.warn({ err: error, ...worker.ref }, 'event bus could not release a partition');
      })
      .finally(() => {
        if (this.workers.get(key) === worker) this.workers.delete(key);
      });
  }
}
