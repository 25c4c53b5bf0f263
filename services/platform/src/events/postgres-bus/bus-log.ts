import type pg from 'pg';
import type { EventEnvelope } from '../envelope';
import type { OutgoingEvent } from '../event-bus';
import { partitionOf, publishLockKey } from './bus-keys';

/** The channel publishers notify (payload: {@link partitionChannel}) so consumers wake without waiting for a poll. */
export const NOTIFY_CHANNEL = 'bus_event';

/**
 * The notification payload naming one partition of a topic. Only that partition's workers wake: a
 * topic-wide wake-up would send every worker of every group to read, mostly for nothing.
 */
export function partitionChannel(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}

/** One event as read back from the log. */
export interface LoggedEvent {
  /** Global sequence number, the event's offset (a decimal string: it is a bigint). */
  readonly seq: string;
  readonly envelope: EventEnvelope;
}

/**
 * Appends `events` in one transaction, durable when it resolves. Publishers of one partition are
 * serialised (locks taken in key order, so no deadlocks): a bigserial alone hands out numbers at
 * insert time, and a consumer could commit a later offset before an earlier transaction commits,
 * skipping that event forever.
 */
export async function appendEvents(pool: pg.Pool, events: readonly OutgoingEvent[], partitions: number): Promise<void> {
  const rows = events.map(({ topic, envelope }) => ({ topic, partition: partitionOf(envelope.aggregateId, partitions), key: envelope.aggregateId, envelope }));
  const lockKeys = [...new Set(rows.map((row) => publishLockKey(row.topic, row.partition)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const channels = [...new Set(rows.map((row) => partitionChannel(row.topic, row.partition)))];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [lockKeys.map(String)]);
    await client.query(
      `INSERT INTO bus_event (topic, partition, key, envelope)
       SELECT topic, partition, key, envelope FROM jsonb_to_recordset($1::jsonb) AS r(topic text, partition integer, key text, envelope jsonb)`,
      [JSON.stringify(rows)],
    );
    await client.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', t) FROM unnest($1::text[]) AS t`, [channels]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Up to `limit` events of one partition after offset `after`, oldest first. (Qualified `seq`: a bare
 * `ORDER BY seq` would sort by the text alias, "10" before "9".)
 */
export async function readAfter(pool: pg.Pool, topic: string, partition: number, after: string, limit: number): Promise<LoggedEvent[]> {
  const result = await pool.query<LoggedEvent>(
    `SELECT seq::text AS seq, envelope FROM bus_event
     WHERE topic = $1 AND partition = $2 AND bus_event.seq > $3::bigint ORDER BY bus_event.seq LIMIT $4`,
    [topic, partition, after, limit],
  );
  return result.rows;
}

/**
 * Records where a new group starts on each partition of `topic` (existing groups keep their
 * offsets). Done when subscribing, not when a partition is first owned, so events published after
 * `subscribe` resolves are never skipped, whoever owns their partition later.
 */
export async function startGroupOffsets(pool: pg.Pool, group: string, topic: string, partitions: number, fromBeginning: boolean): Promise<void> {
  await pool.query(
    `INSERT INTO bus_offset (group_name, topic, partition, committed_seq)
     SELECT $1, $2, p, CASE WHEN $4::boolean THEN 0
       ELSE COALESCE((SELECT max(seq) FROM bus_event WHERE topic = $2 AND partition = p), 0) END
     FROM generate_series(0, $3::integer - 1) AS p
     ON CONFLICT (group_name, topic, partition) DO NOTHING`,
    [group, topic, partitions, fromBeginning],
  );
}

/** Deletes events published before `olderThan`; returns how many. */
export async function pruneEvents(pool: pg.Pool, olderThan: Date): Promise<number> {
  const result = await pool.query('DELETE FROM bus_event WHERE published_at < $1', [olderThan]);
  return result.rowCount ?? 0;
}
