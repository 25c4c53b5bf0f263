/**
 * Integration test of the offline schema engine (tools/prisma-schema-engine.mjs) driven by the
 * real prisma CLI, against throw-away databases on the PostgreSQL at TEST_POSTGRES_URL.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabaseIfMissing, dropDatabase, migrateDeploy } from '../src/data/migrate';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const FIXTURE_DIR = path.join(__dirname, 'fixtures/prisma-engine');
const ENGINE = path.join(__dirname, '../tools/prisma-schema-engine.mjs');
const PRISMA_CLI = require.resolve('prisma/build/index.js');

const runId = `pse_${process.pid}_${randomBytes(3).toString('hex')}`;
const names = { main: `${runId}_main`, shadow: `${runId}_shadow`, failing: `${runId}_failing` };

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

interface CliRun {
  status: number | null;
  output: string;
}

/** Runs the prisma CLI in `cwd` with only the given datasource variables set. */
function prisma(cwd: string, args: readonly string[], env: Record<string, string>): CliRun {
  const { DATABASE_URL: _db, SHADOW_DATABASE_URL: _shadow, PRISMA_SCHEMA_ENGINE_BINARY: _engine, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [PRISMA_CLI, ...args], {
    cwd,
    env: { ...inherited, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function withDatabase<T>(name: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A writable copy of the fixture; prisma.config.ts still resolves `prisma/config` and the engine. */
function copyFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'prisma-engine-'));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  symlinkSync(path.join(__dirname, '../../../node_modules'), path.join(dir, 'node_modules'), 'dir');
  const configPath = path.join(dir, 'prisma.config.ts');
  const config = readFileSync(configPath, 'utf8').replace(
    "path.join(__dirname, '../../../tools/prisma-schema-engine.mjs')",
    JSON.stringify(ENGINE),
  );
  if (!config.includes(JSON.stringify(ENGINE))) throw new Error('fixture prisma.config.ts no longer has the expected engine line');
  writeFileSync(configPath, config);
  return dir;
}

const tempDirs: string[] = [];
const savedEngineVar = process.env.PRISMA_SCHEMA_ENGINE_BINARY;

beforeAll(async () => {
  // Every CLI run must find the engine through prisma.config.ts, not through the outer shell.
  delete process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  for (const name of Object.values(names)) await createDatabaseIfMissing(ADMIN_URL, name);
});

afterAll(async () => {
  if (savedEngineVar !== undefined) process.env.PRISMA_SCHEMA_ENGINE_BINARY = savedEngineVar;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  for (const name of Object.values(names)) await dropDatabase(ADMIN_URL, name);
});

describe('prisma CLI through the offline schema engine', () => {
  const main = () => ({ DATABASE_URL: databaseUrl(names.main), SHADOW_DATABASE_URL: databaseUrl(names.shadow) });

  it('migrate deploy applies both migrations, and the $$ trigger fires', async () => {
    await migrateDeploy({ serviceDir: FIXTURE_DIR, databaseUrl: databaseUrl(names.main) });

    await withDatabase(names.main, async (db) => {
      const applied = await db.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(applied.rows.map((row) => row.migration_name)).toEqual([
        '20250101000000_init',
        '20250102000000_version_trigger',
      ]);

      // 2^53 + 1: survives only if the column really is BIGINT and nothing goes through a double.
      await db.query(`INSERT INTO accounts (email, balance_cents) VALUES ('a@example.com', 9007199254740993)`);
      await db.query(`UPDATE accounts SET status = 'FROZEN' WHERE email = 'a@example.com'`);
      const row = await db.query<{ balance_cents: string; status: string; version: number }>(
        'SELECT balance_cents, status, version FROM accounts',
      );
      expect(row.rows).toEqual([{ balance_cents: '9007199254740993', status: 'FROZEN', version: 1 }]);
    });
  });

  it('migrate status exits 0 once everything is applied', () => {
    const run = prisma(FIXTURE_DIR, ['migrate', 'status'], main());
    expect(run).toMatchObject({ status: 0 });
    expect(run.output).toContain('Database schema is up to date!');
  });

  it('migrate diff --exit-code: 0 in sync, 2 after a schema change', () => {
    const diffArgs = (schema: string) => ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', schema, '--exit-code'];

    const inSync = prisma(FIXTURE_DIR, diffArgs('prisma/schema.prisma'), main());
    expect(inSync).toMatchObject({ status: 0 });
    expect(inSync.output).toContain('No difference detected');

    const dir = mkdtempSync(path.join(tmpdir(), 'prisma-engine-schema-'));
    tempDirs.push(dir);
    const changed = path.join(dir, 'schema.prisma');
    const original = readFileSync(path.join(FIXTURE_DIR, 'prisma/schema.prisma'), 'utf8');
    writeFileSync(changed, original.replace('  email ', '  nickname     String?\n  email '));

    const drifted = prisma(FIXTURE_DIR, diffArgs(changed), main());
    expect(drifted.output).toContain('nickname');
    expect(drifted).toMatchObject({ status: 2 });
  });

  it('refuses a shadow database URL that names the main database', async () => {
    const run = prisma(
      FIXTURE_DIR,
      ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      { DATABASE_URL: databaseUrl(names.main), SHADOW_DATABASE_URL: databaseUrl(names.main) },
    );
    expect(run.status).toBe(1);
    expect(run.output).toContain(`Refusing shadow database "${names.main}"`);
    // ...and the main database was not wiped.
    const count = await withDatabase(names.main, (db) => db.query('SELECT count(*)::int AS n FROM accounts'));
    expect(count.rows).toEqual([{ n: 1 }]);
  });

  it('a failing migration leaves nothing of itself committed', async () => {
    const dir = copyFixture();
    tempDirs.push(dir);
    const migration = path.join(dir, 'prisma/migrations/20250103000000_broken');
    mkdirSync(migration);
    writeFileSync(
      path.join(migration, 'migration.sql'),
      [
        'CREATE TABLE "audit_log" ("id" SERIAL PRIMARY KEY, "note" TEXT NOT NULL);',
        `INSERT INTO "audit_log" ("note") VALUES ('written before the failure');`,
        'SELECT 1 / 0;',
      ].join('\n'),
    );

    const deploy = migrateDeploy({ serviceDir: dir, databaseUrl: databaseUrl(names.failing) });
    // The wasm engine reports this without the native P3018 code, but with the cause and the name.
    await expect(deploy).rejects.toThrow(/division by zero[\s\S]*migration_name="20250103000000_broken"/);

    await withDatabase(names.failing, async (db) => {
      const auditLog = await db.query(`SELECT to_regclass('public.audit_log') AS t`);
      expect(auditLog.rows).toEqual([{ t: null }]);
      const migrations = await db.query<{ migration_name: string; finished: boolean }>(
        'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
      );
      // Prisma records the attempt as failed; the two good migrations stay applied.
      expect(migrations.rows).toEqual([
        { migration_name: '20250101000000_init', finished: true },
        { migration_name: '20250102000000_version_trigger', finished: true },
        { migration_name: '20250103000000_broken', finished: false },
      ]);
    });
  });
});
