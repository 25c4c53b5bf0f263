import pg from 'pg';
import type { Logger } from '../../logging/logger';
import { consumeLockKey, memberApplicationName } from './bus-keys';

/** One partition of one topic: the unit a group member owns. */
export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A group member's own connection. Ownership of a partition is a session-level advisory lock held
 * on it, so a member that stops or crashes frees its partitions when its session ends. Offsets are
 * committed on the same connection: a member whose session died can no longer commit (its
 * partitions may already belong to another member), so its late results cannot move an offset.
 */
export class LeaseSession {
  private dead = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly group: string,
  ) {}

  /** Opens the member's connection, named so that members of the group can count each other. */
  static async open(url: string, group: string, log: Logger): Promise<LeaseSession> {
    const client = new pg.Client({ connectionString: url, application_name: memberApplicationName(group) });
    const session = new LeaseSession(client, group);
    client.on('error', (error) => {
      session.dead = true;
      log.warn({ err: error, group }, 'event bus lease connection lost; its partitions are free for other members');
    });
    client.on('end', () => {
      session.dead = true;
    });
    await client.connect();
    return session;
  }

  /** False once the connection failed or ended: every lock it held is gone. */
  get alive(): boolean {
    return !this.dead;
  }

  /** Live members of the group: sessions on this database with the group's application name. */
  async memberCount(): Promise<number> {
    const result = await this.query<{ members: number }>(
      `SELECT count(*)::integer AS members FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [memberApplicationName(this.group)],
    );
    return Math.max(1, result.rows[0]?.members ?? 1);
  }

  /** Takes the partition if no other member holds it. */
  async tryAcquire(ref: PartitionRef): Promise<boolean> {
    const result = await this.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.lockKey(ref)]);
    return result.rows[0]?.locked === true;
  }

  /** Gives the partition back; its next owner continues from the committed offset. */
  async release(ref: PartitionRef): Promise<void> {
    await this.query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey(ref)]);
  }

  /** The group's committed offset on the partition (rows are created when the group subscribes). */
  async committedOffset(ref: PartitionRef): Promise<string> {
    const result = await this.query<{ seq: string }>(
      'SELECT committed_seq::text AS seq FROM bus_offset WHERE group_name = $1 AND topic = $2 AND partition = $3',
      [this.group, ref.topic, ref.partition],
    );
    return result.rows[0]?.seq ?? '0';
  }

  /** Records that every event of the partition up to `seq` is processed; offsets never move back. */
  async commit(ref: PartitionRef, seq: string): Promise<void> {
    if (this.dead) throw new Error('lease connection lost: offset not committed');
    await this.query(
      `INSERT INTO bus_offset (group_name, topic, partition, committed_seq) VALUES ($1, $2, $3, $4::bigint)
       ON CONFLICT (group_name, topic, partition)
       DO UPDATE SET committed_seq = GREATEST(bus_offset.committed_seq, EXCLUDED.committed_seq), committed_at = now()`,
      [this.group, ref.topic, ref.partition, seq],
    );
  }

  /** Ends the session, which releases every partition it holds. */
  async end(): Promise<void> {
    this.dead = true;
    await this.client.end().catch(() => undefined);
  }

  /** One statement at a time: the partition workers share this connection, and pg 9 drops query queueing. */
  private query<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    const result = this.queue.then(() => this.client.query<Row>(text, values));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private lockKey(ref: PartitionRef): string {
    return String(consumeLockKey(this.group, ref.topic, ref.partition));
  }
}
