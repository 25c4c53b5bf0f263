/**
 * Jest global setup: finds or starts the PostgreSQL server the tests use and publishes its admin
 * URL as process.env.TEST_POSTGRES_URL (workers inherit it). In order:
 *   1. TEST_POSTGRES_URL already set -> use it as is;
 *   2. a server answering at postgresql://postgres@127.0.0.1:5432/postgres -> use it;
 *   3. otherwise start embedded PostgreSQL in a temp dir, through the compiled
 *      services/platform/dist/postgres module (same logic as `npm start`), kept for teardown.
 */
import { access, chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Key of the global holding what setup started; only global-teardown reads it (same process). */
export const STATE_KEY = Symbol.for('shop.test-postgres');
const DIST_ENTRY = new URL('../dist/postgres/index.js', import.meta.url);

export default async function globalSetup() {
  if (process.env.TEST_POSTGRES_URL) return;
  if (await answers(LOCAL_POSTGRES_URL)) {
    process.env.TEST_POSTGRES_URL = LOCAL_POSTGRES_URL;
    return;
  }
  const state = await startEmbedded();
  globalThis[STATE_KEY] = state;
  process.env.TEST_POSTGRES_URL = state.server.adminUrl;
}

/** True when a server accepts a password-less connection within 1.5 s. */
async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbedded() {
  const { startEmbeddedPostgres } = await loadCompiledModule();
  const tempDir = await mkdtemp(join(tmpdir(), 'shop-test-postgres-'));
  // mkdtemp makes it 700; as root the postgres user must traverse it, or the cluster would go to the /var/lib fallback.
  await chmod(tempDir, 0o711);
  const log = (line) => process.stderr.write(`[test postgres] ${line}\n`);
  const server = await startEmbeddedPostgres({ dataDir: join(tempDir, 'data'), log });
  return { server, tempDir };
}

/** Imports the compiled services/platform/dist/postgres module, or explains how to build it. */
export async function loadCompiledModule() {
  try {
    await access(DIST_ENTRY);
  } catch {
    throw new Error(`${DIST_ENTRY.pathname} is missing: no PostgreSQL at 127.0.0.1:5432 and the embedded one is not built; run npm test, which builds first`);
  }
  const loaded = await import(DIST_ENTRY.href);
  return loaded.startEmbeddedPostgres ? loaded : loaded.default;
}
