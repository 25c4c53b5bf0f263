import type pg from 'pg';
import { SCHEMA_LOCK_KEY } from './bus-keys';

const TABLES = `
  CREATE TABLE IF NOT EXISTS bus_event (
    seq bigserial PRIMARY KEY,
    topic text NOT NULL,
    partition integer NOT NULL,
    key text NOT NULL,
    envelope jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS bus_event_topic_partition_seq ON bus_event (topic, partition, seq);
  CREATE INDEX IF NOT EXISTS bus_event_published_at ON bus_event (published_at);
  CREATE TABLE IF NOT EXISTS bus_offset (
    group_name text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    committed_seq bigint NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_name, topic, partition)
  );
  CREATE TABLE IF NOT EXISTS bus_setting (
    name text PRIMARY KEY,
    value text NOT NULL
  );`;

/**
 * Creates the bus tables when missing and returns the partition count the database was created
 * with. The first client's count wins: clients that disagreed would hash one key to different
 * partitions and lose its ordering.
 */
export async function ensureBusTables(pool: pg.Pool, partitions: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(SCHEMA_LOCK_KEY)]);
    await client.query(TABLES);
    await client.query(`INSERT INTO bus_setting (name, value) VALUES ('partitions', $1) ON CONFLICT (name) DO NOTHING`, [String(partitions)]);
    const stored = await client.query<{ value: string }>(`SELECT value FROM bus_setting WHERE name = 'partitions'`);
    await client.query('COMMIT');
    return Number(stored.rows[0]?.value ?? partitions);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
