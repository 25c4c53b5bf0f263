import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '@shop/platform';
import type { Shop } from './shop-process';

/** A small connection pool the bench opens on one of the shop's databases. */
export type BenchPool = ReturnType<typeof createPool>;

/**
 * The URL of `database` (`shop_catalog`, `shop_bus`) on the shop's embedded PostgreSQL: user
 * `postgres`, the password the launcher keeps in `<DATA_DIR>/postgres.password` (there even when
 * the cluster itself went elsewhere), the port from its `PostgreSQL started on` line.
 */
export async function embeddedDatabaseUrl(shop: Shop, database: string): Promise<string> {
  if (shop.postgresPort === undefined) throw new Error(`${shop.process.name} printed no "PostgreSQL started on" line`);
  const password = (await readFile(path.join(shop.dataDir, 'postgres.password'), 'utf8')).trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${shop.postgresPort}/${encodeURIComponent(database)}`;
}

/** Opens a pool of at most two connections on `url`; the caller ends it. */
export function openPool(url: string): BenchPool {
  return createPool({ url, poolSize: 2 });
}
