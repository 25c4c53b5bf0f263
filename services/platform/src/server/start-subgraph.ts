import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import { formatError } from '../errors/format-error';
import { IDENTITY_HEADER, IdentityVerifier } from '../identity/subgraph-identity';
import { currentCorrelationId } from '../logging/correlation';
import { serviceLogger } from '../logging/logger';
import { inServerSpan, startTracing } from '../tracing/tracing';
import { shieldSubgraph, type ShieldRules } from '../shield/shield-subgraph';
import { closeServer, createHttpServer, handleGraphQL, listen, runOnce, sendJson, type RouteHandler } from './http';
import { createServerMetrics, metricsRoute, type ServerMetrics } from './metrics';
import { CLIENT_ADDRESS_HEADER, createRequestContext, type RequestContext } from './request-context';
import type { Pool } from 'pg';
import type { StatementCounter } from '../data/database';

/** What it takes to run one subgraph. */
export interface SubgraphOptions<Context extends RequestContext> {
  /** The service name, on every log line and metric. */
  readonly name: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<Context>;
  /** graphql-shield rules; anything without a rule is denied. */
  readonly rules: ShieldRules;
  readonly port: number;
  readonly host: string;
  /** The secret the gateway signs identities with. */
  readonly identitySecret: string;
  /** The service's database pool, checked by /readyz and reported by /metrics. */
  readonly pool: Pool;
  /** Counts the pool's statements, for /metrics (`db_statements_total`). */
  readonly statements: StatementCounter;
  /** Adds the service's own parts (its services and loaders) to the base context. */
  readonly createContext: (base: RequestContext) => Context;
  /** Releases what the service holds (database clients, caches) after the server has stopped. */
  readonly onStop?: () => Promise<void>;
  /** The service's metrics, when it registers its own (outbox, consumers) besides the server's. */
  readonly metrics?: ServerMetrics;
  /** More dependencies /readyz checks besides the database, e.g. the event bus. */
  readonly readinessChecks?: Readonly<Record<string, () => Promise<boolean>>>;
  /** More HTTP routes, e.g. `'GET /.well-known/jwks.json'`. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** OTLP/HTTP endpoint for traces (OTEL_EXPORTER_OTLP_ENDPOINT); unset: tracing off. */
  readonly otlpEndpoint?: string | undefined;
}

/** A started server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: http.Server;
  stop(): Promise<void>;
}

/** Runs readiness checks side by side; a check that throws counts as failed. */
async function runChecks(checks: Readonly<Record<string, () => Promise<boolean>>>): Promise<Record<string, boolean>> {
  const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const));
  return Object.fromEntries(results);
}

function unauthenticatedBody() {
  return { errors: [{ message: 'Subgraphs answer only requests signed by the gateway.', extensions: { code: 'UNAUTHENTICATED', retryable: false } }] };
}

/**
 * Starts a federated subgraph: Federation 2 schema behind graphql-shield, Apollo Server on a bare
 * node:http server, `/healthz`, `/readyz` (database reachable) and `/metrics`. `/graphql` refuses any
 * request without a valid gateway-signed identity, so a subgraph port is useless without the gateway;
 * it continues the gateway's trace when tracing is on.
 */
export async function startSubgraph<Context extends RequestContext>(options: SubgraphOptions<Context>): Promise<RunningServer> {
  const log = serviceLogger(options.name);
  const tracing = startTracing({ service: options.name, otlpEndpoint: options.otlpEndpoint });
  const metrics = options.metrics ?? createServerMetrics(options.name);
  metrics.observePool(options.pool, options.statements);
  const schema = shieldSubgraph(buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers }]), options.rules);
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (stopOnSignals, the launcher): Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [metrics.plugin, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const identities = new IdentityVerifier(options.identitySecret);
  const server = createHttpServer({
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: options.name }),
    'GET /readyz': async (_req, res) => {
      const checks = await runChecks({ database: () => options.pool.query('SELECT 1').then(() => true), ...options.readinessChecks });
      const ready = Object.values(checks).every(Boolean);
      if (!ready) log.warn({ checks }, 'not ready');
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', service: options.name, checks });
    },
    'GET /metrics': metricsRoute(metrics),
    '* /graphql': async (req, res) => {
      const header = req.headers[IDENTITY_HEADER];
      const identity = identities.verify(Array.isArray(header) ? header[0] : header);
      if (!identity) return sendJson(res, 401, unauthenticatedBody());
      const correlationId = currentCorrelationId() ?? 'none';
      const address = req.headers[CLIENT_ADDRESS_HEADER];
      const clientAddress = (Array.isArray(address) ? address[0] : address) || undefined;
      // Only the gateway gets here (signed identity), so its traceparent is continued.
      await inServerSpan(tracing, `${req.method} /graphql`, req.headers, () =>
        handleGraphQL(apollo, req, res, async () => options.createContext(createRequestContext(identity, correlationId, log, clientAddress))),
      );
    },
    ...options.routes,
  });
  const port = await listen(server, options.port, options.host);
  log.info({ port }, 'subgraph listening');

  const stop = runOnce(async () => {
    await closeServer(server);
    await apollo.stop();
    await options.onStop?.();
    await tracing.shutdown();
    log.info('subgraph stopped');
  });
  return { url: `http://${options.host}:${port}/graphql`, port, httpServer: server, stop };
}

/** Runs every `stop` once on SIGINT or SIGTERM, then exits: the graceful shutdown of a process. */
export function stopOnSignals(stops: readonly (() => Promise<void>)[], log = serviceLogger('process')): void {
  let stopping = false;
  const handler = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        log.error({ err: error }, 'shutdown step failed');
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** The resolver map a subgraph passes to `startSubgraph`. */
export type SubgraphResolvers<Context> = GraphQLResolverMap<Context>;
