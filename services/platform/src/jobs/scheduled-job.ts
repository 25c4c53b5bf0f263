import type { Logger } from '../logging/logger';

/** The part of a service's Prisma client a scheduled job needs; the service has a `scheduled_job` table. */
export interface ScheduledJobDb {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/**
 * A periodic job that runs once per period across every replica and survives restarts (PLAT-4): its
 * `scheduled_job` row (name, next_run_at, last_run_at, last_run_by) holds the next run time, and a
 * replica runs the job only after claiming that run with a conditional UPDATE, which one replica wins.
 */
export class ScheduledJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: ScheduledJobDb,
    readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly instanceId: string,
    private readonly log: Logger,
  ) {}

  /** Claims the due run, if any, and runs it; false when the run is not due or another replica has it. */
  async runIfDue(): Promise<boolean> {
    await this.db.$executeRaw`INSERT INTO scheduled_job (name, next_run_at) VALUES (${this.name}, now()) ON CONFLICT DO NOTHING`;
    const claimed = await this.db.$executeRaw`
      UPDATE scheduled_job
      SET next_run_at = now() + make_interval(secs => ${this.intervalMs / 1000}::float8), last_run_at = now(), last_run_by = ${this.instanceId}
      WHERE name = ${this.name} AND next_run_at <= now()`;
    if (claimed !== 1) return false;
    await this.work();
    return true;
  }

  /** Checks every interval until stopped; a failed run is logged and the next period tries again. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runIfDue()
        .catch((error: unknown) => this.log.error({ err: error, job: this.name }, 'scheduled job failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, Math.min(this.intervalMs, 1_000));
  }

  /** Stops checking and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
