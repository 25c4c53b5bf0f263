import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { SpanKind } from '@opentelemetry/api';
import { logger } from '../logging/logger';
import { inSpan, insideRecordedSpan } from '../tracing/tracing';

/** How a service reaches its own database. */
export interface DatabaseOptions {
  readonly url: string;
  /** Connections this process may hold at most. */
  readonly poolSize: number;
}

/**
 * Counts the SQL statements a pool sends, for tests that prove a list costs the same number of
 * statements whatever its length (CAT-3). Counting at the driver sees every real round trip.
 */
export class StatementCounter {
  count = 0;
  /** The statements themselves, kept only when asked for (tests), never in a long-running server. */
  readonly statements: string[] = [];

  constructor(private readonly keepStatements = false) {}

  record(sql: string): void {
    this.count += 1;
    if (this.keepStatements) this.statements.push(sql);
  }

  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

type QueryFn = pg.PoolClient['query'];

function sqlOf(first: unknown): string {
  return typeof first === 'string' ? first : String((first as { text?: string } | undefined)?.text ?? '');
}

/**
 * A `query` that, inside a recorded span (a request, an event), records each promise-style
 * statement as a child span (PLAT-3). Callback-style calls are pg-pool's own, already covered.
 */
function tracedQuery(query: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    if (!insideRecordedSpan() || typeof args[args.length - 1] === 'function' || typeof (args[0] as { submit?: unknown })?.submit === 'function') {
      return query(...args);
    }
    const sql = sqlOf(args[0]);
    const attributes = { 'db.system': 'postgresql', 'db.statement': sql };
    return inSpan(`db ${sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() || 'query'}`, attributes, () => query(...args) as Promise<unknown>, SpanKind.CLIENT);
  };
}

/** Wraps the pool's and every client's `query`: for tracing, and so the counter sees each statement. */
function instrumentQueries(pool: pg.Pool, counter: StatementCounter | undefined): void {
  pool.query = tracedQuery(pool.query.bind(pool) as (...args: unknown[]) => unknown) as pg.Pool['query'];
  pool.on('connect', (client) => {
    const query = tracedQuery(client.query.bind(client) as (...args: unknown[]) => unknown);
    client.query = ((...args: unknown[]) => {
      counter?.record(sqlOf(args[0]));
      return query(...args);
    }) as QueryFn;
  });
}

/** The connection pool of a service's database; the counter sees every statement (for /metrics and tests). */
export function createPool(options: DatabaseOptions, counter?: StatementCounter): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize, idleTimeoutMillis: 30_000 });
  // An idle connection the server drops (restart, failover, shutdown) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  instrumentQueries(pool, counter);
  return pool;
}

/**
 * A Prisma client over `pool` through the pg driver adapter (Prisma 7 has no engine binary).
 * Generic over the service's generated client class, so each service keeps its own types.
 */
export function createPrismaClient<Client>(
  PrismaClient: new (options: { adapter: PrismaPg; transactionOptions?: { maxWait?: number; timeout?: number } }) => Client,
  pool: pg.Pool,
): Client {
  // Prisma's default waits 2 s for a pooled connection, then fails the transaction: under a burst
  // (forty checkouts on a pool of ten) requests would fail that would have succeeded a moment later.
  return new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
}

/** How long a transaction may wait for a connection, and run. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 20_000 };
