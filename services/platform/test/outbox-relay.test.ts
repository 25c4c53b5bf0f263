import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import {
  createPostgresEventBus,
  eventSchemas,
  OutboxRelay,
  recordInInbox,
  serviceLogger,
  type EventBus,
  type EventEnvelope,
  type InboxTransaction,
  type Subscription,
} from '../src';
import { createTestDatabase } from '../src/testing';

const log = serviceLogger('relay-test');
log.level = 'silent';
const TOPIC = 'fault.events';
const OUTBOX_SQL = readFileSync(path.join(__dirname, 'fixtures/outbox/outbox.sql'), 'utf8');
const CHILD = path.join(__dirname, 'fixtures/outbox/relay-child.mjs');

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/** Inserts `count` events round-robin over `aggregates`, in transactions of `perTransaction`. */
async function writeEvents(pool: pg.Pool, count: number, aggregates: number, perTransaction = 10, rollback = false, first = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = first; start < first + count; start += perTransaction) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = start; i < Math.min(first + count, start + perTransaction); i += 1) {
        const id = randomUUID();
        const aggregate = `agg-${i % aggregates}`;
        await client.query(
          `INSERT INTO outbox (id, type, version, occurred_at, source, aggregate_id, payload) VALUES ($1, 'ProductArchived', 1, now(), 'fault', $2, $3)`,
          [id, aggregate, { productId: `${aggregate}:${i}` }],
        );
        ids.push(id);
      }
      await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    } finally {
      client.release();
    }
  }
  return rollback ? [] : ids;
}

/** A consumer that records deliveries and applies each event once through the inbox. */
async function countingConsumer(bus: EventBus, outbox: pg.Pool, group: string) {
  const deliveries: EventEnvelope[] = [];
  let applied = 0;
  const subscription: Subscription = await bus.subscribe({
    group,
    topics: [TOPIC],
    deadLetterTopic: 'fault.dlq',
    fromBeginning: true,
    handle: async (envelope) => {
      deliveries.push(envelope);
      const client = await outbox.connect();
      try {
        await client.query('BEGIN');
        const tx: InboxTransaction = {
          $executeRaw: (strings, ...values) =>
            client.query(strings.reduce((text, part, i) => `${text}$${i}${part}`), values).then((result) => result.rowCount ?? 0),
        };
        if (await recordInInbox(tx, envelope.id, group)) applied += 1;
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  });
  return { deliveries, applied: () => applied, subscription };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Each aggregate's events arrive in the order they were written (first delivery of each). Labels
 * from 1000 up come from a second, concurrent writer: order holds within each writer.
 */
function expectOrderPerAggregate(deliveries: readonly EventEnvelope[]): void {
  const last = new Map<string, number>();
  const seen = new Set<string>();
  for (const envelope of deliveries) {
    if (seen.has(envelope.id)) continue;
    seen.add(envelope.id);
    const n = Number(String((envelope.payload as { productId: string }).productId).split(':')[1]);
    const stream = `${envelope.aggregateId}/${n >= 1000 ? 'second' : 'first'}`;
    expect(n).toBeGreaterThan(last.get(stream) ?? -1);
    last.set(stream, n);
  }
}

const unpublished = async (pool: pg.Pool) => Number((await pool.query<{ n: string }>('SELECT count(*) n FROM outbox WHERE published_at IS NULL')).rows[0]?.n);

describe('outbox relay (PLAT-4)', () => {
  let outboxDb: TestDatabase;
  let busDb: TestDatabase;
  let outbox: pg.Pool;
  let bus: EventBus;

  beforeEach(async () => {
    outboxDb = await createTestDatabase('outbox');
    busDb = await createTestDatabase('bus');
    outbox = new pg.Pool({ connectionString: outboxDb.url, max: 4 });
    outbox.on('error', () => undefined); // dropping the database at the end cuts idle connections
    await outbox.query(OUTBOX_SQL);
    bus = await createPostgresEventBus({ url: busDb.url, log });
  });
  afterEach(async () => {
    await bus.close();
    await outbox.end();
    await outboxDb.drop();
    await busDb.drop();
  });

  const relay = (overrides: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) =>
    new OutboxRelay({ databaseUrl: outboxDb.url, source: 'fault', bus, schemas: eventSchemas(), log, batchSize: 50, pollIntervalMs: 100, ...overrides });

  test('PLAT-4: committed events are published once each, in order per aggregate; rolled-back ones never', async () => {
    const consumer = await countingConsumer(bus, outbox, 'happy');
    const written = await writeEvents(outbox, 300, 5);
    await writeEvents(outbox, 20, 5, 10, true);
    const relayer = relay();
    await relayer.start();
    try {
      await until(() => consumer.applied() === 300);
      expect(new Set(consumer.deliveries.map((e) => e.id))).toEqual(new Set(written));
      expectOrderPerAggregate(consumer.deliveries);
      expect(await unpublished(outbox)).toBe(0);
    } finally {
      await consumer.subscription.stop();
      await relayer.stop();
    }
  });

  test('PLAT-4: two relays on one outbox publish every event exactly once and keep each aggregate in order', async () => {
    const consumer = await countingConsumer(bus, outbox, 'two-relays');
    const relays = [relay(), relay()];
    await Promise.all(relays.map((r) => r.start()));
    try {
      const written = (await Promise.all([writeEvents(outbox, 400, 20, 5), writeEvents(outbox, 400, 20, 7, false, 1000)])).flat();
      await until(() => consumer.applied() === 800);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(consumer.deliveries).toHaveLength(800);
      expect(new Set(consumer.deliveries.map((e) => e.id))).toEqual(new Set(written));
      expectOrderPerAggregate(consumer.deliveries);
    } finally {
      await consumer.subscription.stop();
      await Promise.all(relays.map((r) => r.stop()));
    }
  });

  test('PLAT-4: rows after one another relay holds wait for it, so an aggregate never jumps ahead', async () => {
    const consumer = await countingConsumer(bus, outbox, 'held-row');
    await writeEvents(outbox, 3, 1);
    const otherRelay = await outbox.connect();
    const relayer = relay();
    try {
      await otherRelay.query('BEGIN');
      // (Not OFFSET 1 ... FOR UPDATE: rows skipped by OFFSET are locked too.)
      await otherRelay.query('SELECT seq FROM outbox WHERE seq = (SELECT seq FROM outbox ORDER BY seq OFFSET 1 LIMIT 1) FOR UPDATE');
      await relayer.start();
      await until(() => consumer.applied() === 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(consumer.applied()).toBe(1);
      await otherRelay.query('COMMIT');
      await until(() => consumer.applied() === 3);
      expectOrderPerAggregate(consumer.deliveries);
    } finally {
      otherRelay.release();
      await consumer.subscription.stop();
      await relayer.stop();
    }
  });

  test('PLAT-4: a relay killed with SIGKILL mid-batch loses nothing; the duplicates it causes are absorbed by the inbox', async () => {
    const consumer = await countingConsumer(bus, outbox, 'after-crash');
    await writeEvents(outbox, 500, 10);
    const run = (env: Record<string, string>) => {
      const child = spawn(process.execPath, [CHILD, outboxDb.url, busDb.url], { env: { ...process.env, ...env }, stdio: 'ignore' });
      return { child, exit: new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code))) };
    };
    const crashing = run({ CRASH_AFTER_PUBLISH: '1' });
    expect(await crashing.exit).toBe('SIGKILL');
    expect(await unpublished(outbox)).toBeGreaterThan(0);
    const healthy = run({});
    try {
      await until(() => consumer.applied() === 500);
      await until(async () => (await unpublished(outbox)) === 0);
      const duplicates = consumer.deliveries.length - 500;
      expect(duplicates).toBeGreaterThan(0); // the batch published before the crash came again
      expectOrderPerAggregate(consumer.deliveries);
    } finally {
      healthy.child.kill('SIGTERM');
      await healthy.exit;
      await consumer.subscription.stop();
    }
  });

  test('PLAT-4: while the bus is down writes still commit and the backlog grows; it drains in order when the bus returns', async () => {
    const proxy = await tcpProxy(new URL(busDb.url));
    const proxiedUrl = new URL(busDb.url);
    proxiedUrl.host = `127.0.0.1:${proxy.port}`;
    const proxiedBus = await createPostgresEventBus({ url: proxiedUrl.toString(), log });
    const consumer = await countingConsumer(bus, outbox, 'bus-down');
    const relayer = relay({ bus: proxiedBus });
    await relayer.start();
    try {
      await proxy.down();
      const written = await writeEvents(outbox, 100, 4);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await unpublished(outbox)).toBe(100);
      expect(consumer.applied()).toBe(0);
      await proxy.up();
      await until(() => consumer.applied() === 100);
      expect(new Set(consumer.deliveries.map((e) => e.id))).toEqual(new Set(written));
      expectOrderPerAggregate(consumer.deliveries);
    } finally {
      await consumer.subscription.stop();
      await relayer.stop();
      await proxiedBus.close();
      await proxy.close();
    }
  });
});

/** A TCP proxy to PostgreSQL that can be taken down (refusing and cutting connections) and brought back. */
async function tcpProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (server) server.close(() => resolve());
      else resolve();
      server = undefined;
    });
  await listen();
  return { port, down, up: listen, close: down };
}
