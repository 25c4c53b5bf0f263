/**
 * The embedded PostgreSQL event bus: the shared EventBus contract (PLAT-4), plus what only this bus
 * promises: events survive a restart, concurrent first starts do not race, and a member whose
 * connection is killed can no longer commit. Each run uses a fresh database.
 */
import pg from 'pg';
import { createPostgresEventBus, type PostgresEventBus } from '../src/events/postgres-bus';
import type { EventBus } from '../src/events/event-bus';
import { describeEventBusContract } from '../src/events/testing/event-bus-contract';
import { deferred, Inbox, onTopic, testEnvelope, uniqueName, waitFor } from '../src/events/testing/contract-support';
import type { EventEnvelope } from '../src/events/envelope';
import { logger } from '../src/logging/logger';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const quiet = logger.child({}, { level: 'silent' });

function busOn(url: string): Promise<PostgresEventBus> {
  return createPostgresEventBus({ url, log: quiet, pollIntervalMs: 100, closeTimeoutMs: 300 });
}

describeEventBusContract('PostgreSQL', async () => {
  const database = await createTestDatabase('event_bus_contract');
  return { newBus: () => busOn(database.url), cleanup: () => database.drop() };
});

describe('PostgreSQL event bus', () => {
  let database: TestDatabase;
  const buses: EventBus[] = [];
  const open = async (): Promise<PostgresEventBus> => {
    const bus = await busOn(database.url);
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    database = await createTestDatabase('event_bus');
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await database.drop();
  });

  it('PLAT-4: published events survive a restart of every client', async () => {
    const topic = uniqueName('durable');
    const events = ['a', 'b', 'c'].map((key) => testEnvelope(`order-${key}`, { key }));
    const before = await busOn(database.url);
    await before.publish(onTopic(topic, events));
    await before.close();

    const after = await open();
    const inbox = new Inbox();
    await after.subscribe({ group: uniqueName('after-restart'), topics: [topic], skipContractCheck: true, handle: inbox.handler(), deadLetterTopic: `${topic}.dlq`, fromBeginning: true });
    await waitFor('the events published before the restart', () => inbox.hasAll(events));
    expect(inbox.deliveries).toHaveLength(events.length);
  });

  it('PLAT-4: two clients starting at once on a fresh database both succeed', async () => {
    const fresh = await createTestDatabase('event_bus_race');
    try {
      const started = await Promise.all(Array.from({ length: 4 }, () => busOn(fresh.url)));
      expect(await Promise.all(started.map((bus) => bus.ping()))).toEqual([true, true, true, true]);
      await Promise.all(started.map((bus) => bus.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('PLAT-4 (INV-2, PAY-3): a member whose connection is killed mid-event cannot commit it; the event is redelivered', async () => {
    const [producer, member] = [await open(), await open()];
    const topic = uniqueName('killed');
    const group = uniqueName('killed');
    const event = testEnvelope('payment-9', {});
    const stuck = deferred();
    let deliveries = 0;
    const hangOnce = async (): Promise<void> => {
      deliveries += 1;
      if (deliveries === 1) await stuck.promise;
    };
    const inbox = new Inbox();
    await member.subscribe({ group, topics: [topic], skipContractCheck: true, handle: inbox.handler(hangOnce), deadLetterTopic: `${topic}.dlq` });
    await producer.publish(onTopic(topic, [event]));
    await waitFor('the member to start handling the event', () => deliveries === 1);

    await terminateGroupSessions(database.url, group);
    await waitFor('the event to be delivered again after the crash', () => inbox.has(event.id));
    stuck.resolve();
    await waitFor('the stuck handler to finish', () => inbox.deliveries.length === 2);
    expect(await committedOffsets(database.url, group)).toEqual([inbox.deliveries[0]?.delivery.offset]);
  });

  it('PLAT-4: prune deletes events older than the retention only', async () => {
    const bus = await open();
    const topic = uniqueName('prune');
    await bus.publish(onTopic(topic, [testEnvelope('old-1', {})]));
    const fresh: EventEnvelope = testEnvelope('new-1', {});
    const cutoff = new Date(Date.now() + 1_000);
    await waitFor('the clock to pass the cutoff', () => Date.now() > cutoff.getTime() + 10);
    await bus.publish(onTopic(topic, [fresh]));
    expect(await bus.prune(cutoff)).toBeGreaterThanOrEqual(1);
    const inbox = new Inbox();
    await bus.subscribe({ group: uniqueName('after-prune'), topics: [topic], skipContractCheck: true, handle: inbox.handler(), deadLetterTopic: `${topic}.dlq`, fromBeginning: true });
    await waitFor('the retained event', () => inbox.has(fresh.id));
    expect(inbox.ids).toEqual([fresh.id]);
  });
});

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Kills the group members' lease connections, as a crashed process or a network cut would. */
async function terminateGroupSessions(url: string, group: string): Promise<void> {
  const killed = await withClient(url, (client) =>
    client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1`, [`bus:${group.slice(0, 24)}:%`]),
  );
  expect(killed.rowCount).toBe(1);
}

async function committedOffsets(url: string, group: string): Promise<string[]> {
  const result = await withClient(url, (client) =>
    client.query<{ seq: string }>(`SELECT committed_seq::text AS seq FROM bus_offset WHERE group_name = $1 AND committed_seq > 0`, [group]),
  );
  return result.rows.map((row) => row.seq);
}
