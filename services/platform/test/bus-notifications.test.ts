/**
 * The PostgreSQL bus wakes consumers by LISTEN/NOTIFY. A publish wakes only the workers of the
 * partitions it wrote to: waking every worker of the topic would send each group's eight workers to
 * read for every event, which is most of the bus's load on a busy checkout.
 */
import pg from 'pg';
import { appendEvents } from '../src/events/postgres-bus/bus-log';
import { partitionOf } from '../src/events/postgres-bus/bus-keys';
import { BusNotifications, WakeSignal } from '../src/events/postgres-bus/bus-notifications';
import { ensureBusTables } from '../src/events/postgres-bus/bus-tables';
import { createPostgresEventBus } from '../src/events/postgres-bus/postgres-event-bus';
import type { EventEnvelope } from '../src/events/envelope';
import { testEnvelope, uniqueName } from '../src/events/testing/contract-support';
import { logger } from '../src/logging/logger';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const PARTITIONS = 8;
const quiet = logger.child({}, { level: 'silent' });

/** True when `signal` is woken within `ms`; its sleep itself lasts far longer. */
async function wokenWithin(signal: WakeSignal, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const woken = signal.sleep(60_000).then(() => true);
  try {
    return await Promise.race([woken, timeout]);
  } finally {
    clearTimeout(timer);
    signal.wake(); // ends the long sleep, so no timer outlives the test
  }
}

/** A key landing in `partition`. */
function keyIn(partition: number): string {
  for (let i = 0; ; i += 1) if (partitionOf(`order-${i}`, PARTITIONS) === partition) return `order-${i}`;
}

describe('WakeSignal', () => {
  it('PLAT-4: a wake-up while nobody sleeps is kept: the next sleep ends at once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    let started = performance.now();
    await signal.sleep(5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    // Kept once only: the sleep after it lasts its time.
    started = performance.now();
    await signal.sleep(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('PostgreSQL bus notifications', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let notifications: BusNotifications;

  beforeAll(async () => {
    database = await createTestDatabase('bus_notifications');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await ensureBusTables(pool, PARTITIONS);
    notifications = new BusNotifications(database.url, quiet);
    await notifications.start();
  });
  afterAll(async () => {
    await notifications.close();
    await pool.end();
    await database.drop();
  });

  it('PLAT-4: a publish wakes the workers of its partition and no other', async () => {
    const topic = uniqueName('orders.events');
    const written = new WakeSignal();
    const other = new WakeSignal();
    const otherTopic = new WakeSignal();
    notifications.add(topic, 3, written);
    notifications.add(topic, 5, other);
    notifications.add(`${topic}-other`, 3, otherTopic);
    try {
      const [wokeWritten, wokeOther, wokeOtherTopic] = await Promise.all([
        wokenWithin(written, 5_000),
        wokenWithin(other, 1_000),
        wokenWithin(otherTopic, 1_000),
        appendEvents(pool, [{ topic, envelope: testEnvelope(keyIn(3), { n: 1 }) }], PARTITIONS),
      ]);
      expect({ wokeWritten, wokeOther, wokeOtherTopic }).toEqual({ wokeWritten: true, wokeOther: false, wokeOtherTopic: false });
    } finally {
      for (const signal of [written, other, otherTopic]) notifications.remove(signal);
    }
  });

  it('PLAT-4: an event published while its partition worker is busy delivering arrives at once, not at the next idle poll', async () => {
    const topic = uniqueName('orders.events');
    const key = keyIn(2);
    const bus = await createPostgresEventBus({ url: database.url, log: quiet, partitions: PARTITIONS, pollIntervalMs: 100, idlePollIntervalMs: 60_000 });
    const arrived: number[] = [];
    let second: (() => void) | undefined;
    const secondArrived = new Promise<void>((resolve) => (second = resolve));
    try {
      await bus.subscribe({
        group: uniqueName('busy'),
        topics: [topic],
        skipContractCheck: true,
        deadLetterTopic: `${topic}.dlq`,
        handle: async (envelope: EventEnvelope) => {
          const { n } = envelope.payload as { n: number };
          arrived.push(n);
          // The next event of the partition is committed (and notified) while this one is being handled.
          if (n === 1) await bus.publish([{ topic, envelope: testEnvelope(key, { n: 2 }) }]);
          if (n === 2) second?.();
        },
      });
      await bus.publish([{ topic, envelope: testEnvelope(key, { n: 1 }) }]);
      const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
      expect(await Promise.race([secondArrived.then(() => 'arrived'), timedOut])).toBe('arrived');
      expect(arrived).toEqual([1, 2]);
    } finally {
      await bus.close();
    }
  });

  it('PLAT-4: a notification naming only the topic (a publisher of an older version) wakes all its partitions', async () => {
    const topic = uniqueName('orders.events');
    const signals = [0, 7].map((partition) => {
      const signal = new WakeSignal();
      notifications.add(topic, partition, signal);
      return signal;
    });
    try {
      const woken = Promise.all(signals.map((signal) => wokenWithin(signal, 5_000)));
      await pool.query('SELECT pg_notify($1, $2)', ['bus_event', topic]);
      expect(await woken).toEqual([true, true]);
    } finally {
      for (const signal of signals) notifications.remove(signal);
    }
  });
});
