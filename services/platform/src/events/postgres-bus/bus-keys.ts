import { createHash } from 'node:crypto';

/**
 * A stable signed 64-bit hash of `parts`, the shape `pg_advisory_lock(bigint)` takes. Every key the
 * bus derives (partitions, publish and consume locks) comes from here, so all clients agree on them.
 */
export function hash64(...parts: readonly string[]): bigint {
  return createHash('sha256').update(parts.join('\u0000')).digest().readBigInt64BE(0);
}

/** The partition of an event key: stable across processes and restarts, like Kafka's key hashing. */
export function partitionOf(key: string, partitions: number): number {
  return Number(BigInt.asUintN(64, hash64('partition', key)) % BigInt(partitions));
}

/** Serialises publishers of one partition, so offsets become visible in offset order. */
export function publishLockKey(topic: string, partition: number): bigint {
  return hash64('publish', topic, String(partition));
}

/** Held by the group member that owns one partition of a topic. */
export function consumeLockKey(group: string, topic: string, partition: number): bigint {
  return hash64('consume', group, topic, String(partition));
}

/** Guards table creation, so concurrent first starts do not race on the catalog. */
export const SCHEMA_LOCK_KEY = hash64('schema');

/**
 * The `application_name` of a group member's lease connection. Members count each other by it in
 * `pg_stat_activity`; it is short (PostgreSQL keeps 63 bytes) and still readable for operators.
 */
export function memberApplicationName(group: string): string {
  const digest = BigInt.asUintN(64, hash64('group', group)).toString(16).padStart(16, '0');
  return `bus:${group.slice(0, 24)}:${digest}`;
}
