#!/usr/bin/env node
// Stand-in for Prisma's native schema-engine binary, which cannot be downloaded offline.
// The prisma CLI spawns this file (via PRISMA_SCHEMA_ENGINE_BINARY, set in prisma.config.ts)
// and talks newline-delimited JSON-RPC over stdin/stdout; we delegate every call to the
// wasm schema engine, which reaches PostgreSQL through @prisma/adapter-pg.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

// stdout belongs to the JSON-RPC channel; keep stray console output off it.
console.log = console.error;

const RPC_METHODS = new Set([
  'applyMigrations', 'createMigration', 'dbExecute', 'debugPanic', 'devDiagnostic',
  'diagnoseMigrationHistory', 'diff', 'ensureConnectionValidity', 'evaluateDataLoss',
  'introspect', 'introspectSql', 'markMigrationApplied', 'markMigrationRolledBack',
  'reset', 'schemaPush', 'getDatabaseVersion',
]);

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
const datamodelPaths = [];
let datasource = {};
let cliCommand = null;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--version') cliCommand = 'version';
  else if (arg === '--datamodels') datamodelPaths.push(args[++i]);
  else if (arg === '--datasource') datasource = JSON.parse(args[++i]);
  else if (arg === 'cli') cliCommand = args[++i];
  else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++; // not used by wasm
}

// ---------------------------------------------------------------- wasm loading
const panic = { message: '' };
async function loadWasm() {
  // The package root imports the .wasm as an ES module, which Node 20 cannot do; wire it by hand.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => { panic.message = message; } };
  const wasmUrl = new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const { instance } = await WebAssembly.instantiate(await readFile(fileURLToPath(wasmUrl)), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
}

// ---------------------------------------------------------------- adapter factory
// adapter-pg cannot deserialize the internal "char" type (oid 18), which the engine's
// introspection queries return (e.g. pg_constraint.contype). Relabel such columns as text (oid 25)
// so adapter-pg accepts them, remember which they were, and hand them to the engine as
// `Character` again (see connectAdapter): its schema describer reads them as a char, and fails on
// text for any CHECK constraint.
const charColumnsOf = new WeakMap();
const relabelChar = (result) => {
  for (const r of Array.isArray(result) ? result : [result]) {
    const chars = [];
    for (const [index, field] of (r?.fields ?? []).entries()) {
      if (field.dataTypeID === 18) {
        field.dataTypeID = 25;
        chars.push(index);
      }
    }
    if (chars.length > 0 && r?.rows) charColumnsOf.set(r.rows, chars);
  }
  return result;
};
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    const cb = typeof values === 'function' ? values : callback;
    if (typeof cb === 'function') { // pg-pool's pool.query() uses the callback form
      const wrapped = (error, result) => cb(error, error ? result : relabelChar(result));
      return typeof values === 'function' ? super.query(config, wrapped) : super.query(config, values, wrapped);
    }
    const pending = super.query(config, values);
    return typeof pending?.then === 'function' ? pending.then(relabelChar) : pending;
  }
}

const databaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));

async function connectAdapter(url) {
  // One connection that never idles out: the engine holds a session-level advisory lock on it.
  const factory = new PrismaPg({ connectionString: url, max: 1, idleTimeoutMillis: 0, Client: CharAsTextClient });
  const adapter = await factory.connect();
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsOf.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  // adapter-pg splits scripts on ';' (breaking $$ bodies) and runs the pieces one by one.
  // A single multi-statement simple query runs as one implicit transaction instead.
  adapter.executeScript = async (script) => {
    try { await adapter.underlyingDriver().query(script); } catch (error) { adapter.onError(error); }
  };
  return adapter;
}

const migrationAdapterFactory = {
  provider: 'postgres',
  adapterName: '@prisma/adapter-pg',
  async connect() {
    if (!datasource.url) throw new Error('The datasource url is empty: set DATABASE_URL.');
    return connectAdapter(datasource.url);
  },
  // adapter-pg's own shadow factory ends up on the MAIN database; use an explicit, wiped one.
  async connectToShadowDb() {
    const { url, shadowDatabaseUrl } = datasource;
    if (!shadowDatabaseUrl) throw new Error('A shadow database is required: set shadowDatabaseUrl (SHADOW_DATABASE_URL) in prisma.config.ts.');
    const shadowName = databaseName(shadowDatabaseUrl);
    if (!shadowName || (url && shadowName === databaseName(url))) {
      throw new Error(`Refusing shadow database "${shadowName}": it must name a separate database from the main one, because it is wiped before use.`);
    }
    const adapter = await connectAdapter(shadowDatabaseUrl);
    // The wasm engine never resets the shadow, and leftovers break the replay.
    try {
      await adapter.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    } catch (error) {
      await adapter.dispose();
      throw error;
    }
    return adapter;
  },
};
const boundFactory = bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory);

// Created on the first request, so a startup failure (e.g. missing database) is returned
// as that request's error instead of the CLI's empty "Error in Schema engine".
let enginePromise = null;
async function engine() {
  enginePromise ??= (async () => {
    const datamodels = await Promise.all(datamodelPaths.map(async (p) => [p, await readFile(p, 'utf8')]));
    const log = (line) => process.stderr.write(`${line}\n`); // already the JSON log lines the CLI parses
    // Some commands (e.g. `migrate diff --from-empty`) pass no schema; wasm panics on an empty list.
    return glue.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, log, boundFactory);
  })();
  try { return await enginePromise; } catch (error) { enginePromise = null; throw error; }
}

// ---------------------------------------------------------------- JSON-RPC
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const awaitingReply = new Map();
let nextOutgoingId = 1;
function requestFromCli(method, params) {
  const id = `engine-${nextOutgoingId++}`;
  return new Promise((resolve) => { awaitingReply.set(id, resolve); send({ jsonrpc: '2.0', id, method, params }); });
}

// Errors thrown by our adapter factory reach us only as "External error id#N"; recover the text.
function errorMessage(error) {
  const message = String(error?.message ?? error);
  const external = /External error id#(\d+)/.exec(message);
  const original = external && boundFactory.errorRegistry.consumeError(Number(external[1]))?.error;
  return original ? message.replace(external[0], String(original.message ?? original)) : message;
}

async function call(method, params) {
  const se = await engine();
  switch (method) {
    case 'getDatabaseVersion': return se.version(params ?? null);
    case 'diff': {
      // The native engine prints the diff itself through a `print` request; wasm returns it.
      const result = await se.diff(params);
      if (result.stdout) await requestFromCli('print', { content: result.stdout });
      return { ...result, stdout: null };
    }
    case 'evaluateDataLoss':
      // wasm only reuses a shadow schema cached by devDiagnostic; without this, `migrate dev`
      // with pending migrations fails ("shadow DB must be provided through an external factory").
      await se.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
      return se.evaluateDataLoss(params);
    default: return se[method](params);
  }
}

async function handleRequest({ id, method, params }) {
  try {
    if (!RPC_METHODS.has(method)) throw Object.assign(new Error(`Unknown method: ${method}`), { rpcCode: -32601 });
    send({ jsonrpc: '2.0', id, result: (await call(method, params)) ?? null });
  } catch (error) {
    const isPanic = error instanceof WebAssembly.RuntimeError;
    const message = isPanic ? panic.message || error.message : errorMessage(error);
    const data = { is_panic: isPanic, message, error_code: isPanic ? undefined : error?.code, meta: error?.meta };
    send({ jsonrpc: '2.0', id, error: { code: error?.rpcCode ?? 4466, message, data } });
    // A panicked wasm instance is unusable; exit like the native engine does (code 101).
    if (isPanic) process.stdout.write('', () => process.exit(101));
  }
}

function serveRpc() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message;
    try { message = JSON.parse(line); } catch {
      return send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    }
    if (message.method === undefined) { // a reply to one of our own requests (print)
      awaitingReply.get(message.id)?.(message.result);
      awaitingReply.delete(message.id);
    } else {
      void handleRequest(message);
    }
  });
  // The CLI stops us by closing stdin (and SIGTERM on Linux, but not promptly on Windows).
  lines.on('close', () => process.exit(0));
}

// ---------------------------------------------------------------- one-shot `cli` commands
// The CLI drops the first stderr line and parses the rest as JSON log lines.
function cliFailure(error) {
  const codes = { '3D000': 'P1003', '42P04': 'P1009', '28P01': 'P1000', ECONNREFUSED: 'P1001', ENOTFOUND: 'P1001', ETIMEDOUT: 'P1001' };
  const fields = { message: String(error?.message ?? error), error_code: codes[error?.code] };
  process.stderr.write(`schema-engine cli failed\n${JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields })}`);
  process.exit(1);
}

async function runCli(command) {
  if (!datasource.url) throw new Error('The datasource url is empty: set DATABASE_URL.');
  const quote = (name) => `"${name.replaceAll('"', '""')}"`;
  let target = datasource.url;
  let sql = 'SELECT 1';
  if (command === 'create-database') {
    const url = new URL(datasource.url);
    sql = `CREATE DATABASE ${quote(databaseName(datasource.url))}`;
    url.pathname = '/postgres'; // run CREATE DATABASE from the maintenance database
    target = url.toString();
  } else if (command !== 'can-connect-to-database') {
    throw new Error(`Unsupported cli command: ${command}`);
  }
  const client = new pg.Client({ connectionString: target });
  try { await client.connect(); await client.query(sql); } finally { await client.end().catch(() => {}); }
}

// ---------------------------------------------------------------- main
// Panics can also surface outside any request (inside wasm-bindgen's async closures). Report
// them as an ERROR log line, which the CLI shows, and exit with the native panic code.
process.on('uncaughtException', (error) => {
  const message = error instanceof WebAssembly.RuntimeError && panic.message ? panic.message : String(error?.stack ?? error);
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', target: 'schema_engine', fields: { message } })}\n`);
  process.exit(error instanceof WebAssembly.RuntimeError ? 101 : 1);
});
await loadWasm();
if (cliCommand === 'version') {
  process.stdout.write(`schema-engine-cli ${glue.version()}\n`);
} else if (cliCommand) {
  await runCli(cliCommand).then(() => process.exit(0), cliFailure);
} else {
  serveRpc();
}
