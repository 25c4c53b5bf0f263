import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { logger } from '../logging/logger';

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

function countStatements(pool: pg.Pool, counter: StatementCounter): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const first = args[0];
      counter.record(typeof first === 'string' ? first : String((first as { text?: string }).text ?? ''));
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
  if (counter) countStatements(pool, counter);
  return pool;
}

/**
 * A Prisma client over `pool` through the pg driver adapter (Prisma 7 has no engine binary).
 * Generic over the service's generated client class, so each service keeps its own types.
 */
export function createPrismaClient<Client>(PrismaClient: new (options: { adapter: PrismaPg }) => Client, pool: pg.Pool): Client {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
