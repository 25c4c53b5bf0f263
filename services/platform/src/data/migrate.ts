import { processEnv } from '../config';
import { spawn } from 'node:child_process';
import { Client } from 'pg';

/** Database names are interpolated into DDL, so only plain lowercase identifiers are accepted. */
const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/;

function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}: expected ${DATABASE_NAME.source}`);
  }
}

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function runNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * Applies the pending checked-in migrations of one service with `prisma migrate deploy`.
 * `serviceDir` is the folder holding the service's prisma.config.ts (which also points the CLI
 * at the offline schema engine); only DATABASE_URL is overridden in the CLI's environment.
 */
export async function migrateDeploy(options: { serviceDir: string; databaseUrl: string }): Promise<void> {
  const cli = require.resolve('prisma/build/index.js');
  const env: NodeJS.ProcessEnv = { ...processEnv(), DATABASE_URL: options.databaseUrl, NO_COLOR: '1' };
  const result = await runNode([cli, 'migrate', 'deploy'], options.serviceDir, env);
  if (result.code !== 0) {
    const status = result.signal ? `signal ${result.signal}` : `exit code ${String(result.code)}`;
    throw new Error(`prisma migrate deploy failed in ${options.serviceDir} (${status}):\n${result.output.trim()}`);
  }
}

async function withAdminClient<T>(adminUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` through the admin connection unless it already exists. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withAdminClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount !== 0) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Lost a race with a concurrent creator: the database exists, which is all we want.
      if (!(error instanceof Error && 'code' in error && error.code === '42P04')) throw error;
    }
  });
}

/** Drops database `name` if it exists, terminating any sessions still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
