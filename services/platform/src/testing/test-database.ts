import { randomBytes } from 'node:crypto';
import { processEnv } from '../config';
import { createDatabaseIfMissing, dropDatabase } from '../data/migrate';

/** Server used when `TEST_POSTGRES_URL` is unset: a local PostgreSQL trusting 127.0.0.1. */
const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Longest label kept, so `t_<label>_<random>` stays under PostgreSQL's 63-byte identifier limit. */
const MAX_LABEL_LENGTH = 40;
const DATABASE_NAME = /^t_[a-z0-9_]+_[0-9a-f]{10}$/;

/** A throwaway database owned by one test file. */
export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as the admin URL). */
  url: string;
  /** Its name, `t_<label>_<random>`. */
  name: string;
  /** Drops it `WITH (FORCE)`, disconnecting leftover sessions; safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the test server (`TEST_POSTGRES_URL`, set by the jest
 * global setup), so each test file gets isolated data and parallel runs never collide.
 * `label` only makes the name readable; it is lowercased and reduced to `[a-z0-9_]`.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = processEnv()['TEST_POSTGRES_URL'] ?? DEFAULT_ADMIN_URL;
  const name = databaseName(label);
  await createDatabaseIfMissing(adminUrl, name);
  return { url: withDatabase(adminUrl, name), name, drop: () => dropDatabase(adminUrl, name) };
}

function databaseName(label: string): string {
  const cleaned = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL_LENGTH);
  const name = `t_${cleaned === '' ? 'db' : cleaned}_${randomBytes(5).toString('hex')}`;
  if (!DATABASE_NAME.test(name)) throw new Error(`could not derive a database name from ${JSON.stringify(label)}`);
  return name;
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
