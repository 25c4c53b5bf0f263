/**
 * startSubgraph over real HTTP and a real PostgreSQL (TEST_POSTGRES_URL): the gateway-signed
 * identity gate, correlation ids, health, readiness, metrics, the body limit and shutdown.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { findFreePort } from '../src/postgres/free-port';
import { parse } from 'graphql';
import pg from 'pg';
import { ANONYMOUS, IDENTITY_HEADER, signIdentity, type Identity } from '../src/identity';
import { logger } from '../src/logging/logger';
import { allow } from '../src/shield';
import { createPool, StatementCounter } from '../src/data';
import { startSubgraph, type RequestContext, type RunningServer } from '../src/server';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECRET = randomBytes(32).toString('hex');
const customer: Identity = { userId: 'user-7', roles: ['CUSTOMER'] };

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { whoami(padding: String): WhoAmI! }
  type WhoAmI { userId: String, roles: [String!]!, correlationId: String! }
  type Product @key(fields: "id") { id: ID! }
`);

/** What the resolver saw, per call. */
const seen: { userId: string | null; correlationId: string }[] = [];

function subgraph(name: string, pool: pg.Pool, onStop?: () => Promise<void>, statements = new StatementCounter()): Promise<RunningServer> {
  return startSubgraph<RequestContext>({
    name,
    typeDefs,
    resolvers: {
      Query: {
        whoami: (_parent: unknown, _args: unknown, context: RequestContext) => {
          seen.push({ userId: context.identity.userId, correlationId: context.correlationId });
          return { userId: context.identity.userId, roles: context.identity.roles, correlationId: context.correlationId };
        },
      },
      Product: { __resolveReference: (reference: { id: string }) => reference },
    },
    rules: { Query: { whoami: allow }, WhoAmI: allow, Product: allow },
    port: 0,
    host: '127.0.0.1',
    identitySecret: SECRET,
    pool,
    statements,
    createContext: (base) => base,
    onStop,
  });
}

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request with node:http; resolves on the response even if the server stops reading the body. */
function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { connection: 'close', ...headers } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

function graphqlPost(port: number, query: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(port, 'POST', '/graphql', { 'content-type': 'application/json', ...headers }, JSON.stringify(query));
}

function signed(identity: Identity, secret = SECRET): Record<string, string> {
  return { [IDENTITY_HEADER]: signIdentity(identity, secret) };
}

/** A TCP port on which nothing listens. */
const closedPort = findFreePort;

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const WHOAMI = { query: 'query WhoAmI { whoami { userId roles correlationId } }', operationName: 'WhoAmI' };

describe('startSubgraph', () => {
  const previousLevel = logger.level;
  const statements = new StatementCounter();
  let pool: pg.Pool;
  let server: RunningServer;

  beforeAll(async () => {
    logger.level = 'silent';
    pool = createPool({ url: POSTGRES_URL, poolSize: 2 }, statements);
    server = await subgraph('platform-test', pool, undefined, statements);
  });

  afterAll(async () => {
    await server?.stop();
    await pool.end();
    logger.level = previousLevel;
  });

  beforeEach(() => {
    seen.length = 0;
  });

  test('SEC-3: /graphql without a gateway-signed identity is 401 UNAUTHENTICATED and runs no resolver', async () => {
    const reply = await graphqlPost(server.port, WHOAMI);
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(seen).toEqual([]);
  });

  test('SEC-3: an identity signed with another secret, or expired, is 401', async () => {
    const forged = await graphqlPost(server.port, WHOAMI, signed({ userId: 'admin', roles: ['STAFF'] }, randomBytes(32).toString('hex')));
    expect(forged.status).toBe(401);
    const expired = await graphqlPost(server.port, WHOAMI, { [IDENTITY_HEADER]: signIdentity(customer, SECRET, Date.now() - 5 * 60_000) });
    expect(expired.status).toBe(401);
    expect(seen).toEqual([]);
  });

  test('SEC-3, PLAT-2: a signed identity is 200; the resolver sees the caller and the sent correlation id, which the response echoes', async () => {
    const reply = await graphqlPost(server.port, WHOAMI, { ...signed(customer), 'x-correlation-id': 'checkout-42.a_b' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ data: { whoami: { userId: 'user-7', roles: ['CUSTOMER'], correlationId: 'checkout-42.a_b' } } });
    expect(reply.headers['x-correlation-id']).toBe('checkout-42.a_b');
    expect(seen).toEqual([{ userId: 'user-7', correlationId: 'checkout-42.a_b' }]);
  });

  test('PLAT-2: without a (sane) correlation id the server makes one, and the resolver and the response agree on it', async () => {
    const variants: Record<string, string>[] = [{}, { 'x-correlation-id': 'spaces are not allowed' }, { 'x-correlation-id': 'x'.repeat(101) }];
    for (const headers of variants) {
      seen.length = 0;
      const reply = await graphqlPost(server.port, WHOAMI, { ...signed(ANONYMOUS), ...headers });
      expect(reply.status).toBe(200);
      const generated = reply.headers['x-correlation-id'];
      expect(generated).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen).toEqual([{ userId: null, correlationId: generated }]);
    }
  });

  test('PLAT-3: /healthz is 200', async () => {
    const reply = await request(server.port, 'GET', '/healthz');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'ok' });
  });

  test('PLAT-3: /readyz is 200 while the database answers', async () => {
    const reply = await request(server.port, 'GET', '/readyz');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'ready' });
  });

  test('PLAT-3: /readyz is 503 when the database is unreachable, and says nothing more about it', async () => {
    const url = new URL(POSTGRES_URL);
    url.hostname = '127.0.0.1';
    url.port = String(await closedPort());
    const deadPool = new pg.Pool({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
    const unready = await subgraph('platform-test-unready', deadPool);
    try {
      const reply = await request(unready.port, 'GET', '/readyz');
      expect(reply.status).toBe(503);
      expect(reply.body).not.toContain('ECONNREFUSED');
      expect(reply.body).not.toContain(url.port);
      expect((await request(unready.port, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await unready.stop();
      await deadPool.end();
    }
  });

  test('PLAT-3: /metrics reports GraphQL requests per operation and the database pool', async () => {
    await graphqlPost(server.port, WHOAMI, signed(customer));
    await request(server.port, 'GET', '/readyz');
    const reply = await request(server.port, 'GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
    expect(reply.body).toMatch(/^graphql_requests_total\{[^}]*operation="WhoAmI"[^}]*\} [1-9]\d*$/m);
    expect(reply.body).toMatch(/^db_pool_connections\{[^}]*state="total"[^}]*\} [1-9]\d*$/m);
    expect(reply.body).toMatch(/^db_pool_connections\{[^}]*state="idle"[^}]*\} \d+$/m);
    expect(reply.body).toMatch(/^db_statements_total\{[^}]*\} [1-9]\d*$/m);
  });

  test('SEC-7: a body over 1 MiB is refused with 413; one of exactly 1 MiB is served', async () => {
    const query = 'query WhoAmI($padding: String) { whoami(padding: $padding) { userId } }';
    const bodyOf = (bytes: number) => {
      const empty = JSON.stringify({ query, variables: { padding: '' } });
      return JSON.stringify({ query, variables: { padding: 'x'.repeat(bytes - Buffer.byteLength(empty)) } });
    };
    const headers = { 'content-type': 'application/json', ...signed(customer) };
    const tooLarge = await request(server.port, 'POST', '/graphql', headers, bodyOf(1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(seen).toEqual([]);
    const atLimit = await request(server.port, 'POST', '/graphql', headers, bodyOf(1024 * 1024));
    expect(atLimit.status).toBe(200);
    expect(JSON.parse(atLimit.body)).toEqual({ data: { whoami: { userId: 'user-7' } } });
  });

  test('PLAT-3: stop() resolves, runs onStop once, and closes the port; a second stop() is harmless', async () => {
    const stopped: string[] = [];
    const ownPool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const running = await subgraph('platform-test-stop', ownPool, async () => {
      stopped.push('onStop');
      await ownPool.end();
    });
    expect((await request(running.port, 'GET', '/healthz')).status).toBe(200);
    expect(await connects(running.port)).toBe(true);
    await running.stop();
    await running.stop();
    expect(stopped).toEqual(['onStop']);
    expect(await connects(running.port)).toBe(false);
  });
});
