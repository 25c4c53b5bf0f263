import type http from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  BusinessError,
  closeServer,
  createHttpServer,
  createLeakyBuckets,
  createRateLimitStore,
  RedisKeyValueCache,
  RateLimiter,
  createServerMetrics,
  currentCorrelationId,
  exitOnConfigError,
  handleGraphQL,
  inServerSpan,
  IdentitySigner,
  listen,
  metricsRoute,
  runOnce,
  sendJson,
  serviceLogger,
  startTracing,
  stopOnSignals,
  type RouteHandler,
  type RunningServer,
} from '@shop/platform';
import { createAuthenticate } from './authenticate';
import { gatewayClientOf } from './client-label';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { formatGatewayError } from './format-gateway-error';
import { playgroundAssetRoutes, servePlaygroundPage, wantsHtml } from './playground';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { SUPERGRAPH_PATH } from './subgraphs';
import { verifyEmailPage } from './verify-email-page';
import { httpSecurity } from './edge/http-security';
import { rateLimitPlugin } from './edge/rate-limits';
import { queryLimits } from './edge/query-limits';
import { partnerAccess } from './edge/partners';
import { paymentRoutes } from './payment-routes';

const log = serviceLogger('gateway');

/** Checks every subgraph's /readyz (which checks its database). */
async function subgraphsReady(urls: readonly string[]): Promise<Record<string, boolean>> {
  const checks = urls.map(async (url) => {
    try {
      const response = await fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2000) });
      return [url, response.ok] as const;
    } catch {
      return [url, false] as const;
    }
  });
  return Object.fromEntries(await Promise.all(checks));
}

/** A refusal before GraphQL runs (bad credentials, too many key lookups, accounts down), as JSON. */
function refuseBeforeGraphQL(res: http.ServerResponse, error: BusinessError): void {
  const retryAfter = error.details.retryAfter;
  const status = error.code === 'UNAUTHENTICATED' ? 401 : error.code === 'RATE_LIMITED' ? 429 : 503;
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  const extensions = { code: error.code, retryable: error.retryable, ...(retryAfter === undefined ? {} : { retryAfter }) };
  sendJson(res, status, { errors: [{ message: error.message, extensions }] }, headers);
}

/** Where accounts verifies partner keys: beside its GraphQL endpoint. */
function partnerKeyVerifyUrl(config: GatewayConfig): string {
  return new URL('/internal/partner-keys/verify', config.subgraphUrls.accounts ?? 'http://127.0.0.1:4002/graphql').href;
}

/**
 * Starts the one public GraphQL endpoint: Apollo Gateway over the checked-in supergraph (no
 * runtime composition), identity verified here and passed on signed, errors masked.
 */
export async function startGateway(config: GatewayConfig, supergraphSdl = readFileSync(SUPERGRAPH_PATH, 'utf8')): Promise<RunningServer> {
  const signer = new IdentitySigner(config.identitySecret);
  const authenticate = createAuthenticate(config.jwks, config.tokenAudience);
  const metrics = createServerMetrics('gateway', { clientOf: gatewayClientOf });
  const tracing = startTracing({ service: 'gateway', otlpEndpoint: config.otlpEndpoint });
  const security = httpSecurity(config.http);
  const limits = queryLimits(config.queryLimits);
  // With Redis, partner budgets and automatic persisted queries are shared by every gateway replica.
  const partnerBuckets = createLeakyBuckets({ redisUrl: config.redisUrl, prefix: `${config.rateLimitPrefix}:partner-cost` });
  const partners = partnerAccess({ ...config.partners, verifyUrl: partnerKeyVerifyUrl(config) }, signer, config.queryLimits, limits.refused, { buckets: partnerBuckets });
  const persistedQueries = config.redisUrl ? new RedisKeyValueCache(config.redisUrl, `${config.rateLimitPrefix}:apq`, config.apqTtlSeconds) : undefined;
  const limitStore = createRateLimitStore({ redisUrl: config.redisUrl, prefix: config.rateLimitPrefix });
  const keyLookups = new RateLimiter(limitStore, config.rateLimitScale);
  const keyLookupRule = { name: 'gw-key-lookup', limit: config.rateLimits.auth, windowSeconds: 60 };
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(config.subgraphUrls[name] ?? url ?? '', signer, name),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (stopOnSignals, the launcher): Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    // Blocks requests a browser sends without a preflight (SEC-6); on by default, stated so it stays on.
    csrfPrevention: true,
    // Apollo's default follows process.env.NODE_ENV and would shut staff out; security.plugin decides.
    introspection: true,
    // Automatic persisted queries for first-party apps; Apollo's in-process cache without Redis.
    persistedQueries: persistedQueries ? { cache: persistedQueries, ttl: config.apqTtlSeconds } : { ttl: config.apqTtlSeconds },
    // A JSON-array body runs several operations; off unless configured (each is then measured alone).
    allowBatchedHttpRequests: config.batching,
    parseOptions: limits.parseOptions,
    plugins: [
      metrics.plugin,
      security.plugin,
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // Apollo runs both hooks at once: the query limits decide first, so an operation over a bound
      // answers QUERY_TOO_COMPLEX and spends no rate-limit budget.
      limits.plugin,
      partners.plugin,
      rateLimitPlugin(limitStore, config.rateLimits, config.rateLimitScale, limits.refused),
    ],
  });
  await apollo.start();

  const graphql: RouteHandler = async (req, res) => {
    if (req.method === 'GET' && config.playground && wantsHtml(req)) return servePlaygroundPage(req, res);
    let identity;
    try {
      // A partner (X-Api-Key) never runs as a user, bearer token or not: its key names the
      // integration (and, for a MARKET key, its market). Keys accounts must be asked about spend the
      // client's sign-in budget, so guessing keys is throttled like guessing passwords and a spray
      // of random keys cannot flood accounts.
      const lookup = () => keyLookups.consume(keyLookupRule, security.clientAddress(req));
      identity = (await partners.identify(req, lookup)) ?? (await authenticate(req));
    } catch (error) {
      if (!(error instanceof BusinessError)) throw error;
      return refuseBeforeGraphQL(res, error);
    }
    const correlationId = currentCorrelationId() ?? 'none';
    const clientAddress = security.clientAddress(req);
    await handleGraphQL(apollo, req, res, async () => ({ identity, correlationId, clientAddress }));
  };

  const server = createHttpServer(security.guard({
    ...(config.playground ? playgroundAssetRoutes() : {}),
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    'GET /readyz': async (_req, res) => {
      const [subgraphs, redis] = await Promise.all([
        subgraphsReady(Object.values(config.subgraphUrls)),
        config.redisUrl ? limitStore.ping().catch(() => false) : undefined,
      ]);
      const ready = Object.values(subgraphs).every(Boolean) && redis !== false;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs, ...(redis === undefined ? {} : { redis }) });
    },
    'GET /metrics': metricsRoute(metrics),
    'GET /verify-email': verifyEmailPage(apollo, security.clientAddress),
    ...paymentRoutes(config.subgraphUrls.payments ?? 'http://127.0.0.1:4005/graphql'),
    // A trace starts here, or continues a client's traceparent when the clients are trusted (PLAT-3).
    '* /graphql': (req, res) => inServerSpan(tracing, `${req.method} /graphql`, config.traceTrustClients ? req.headers : undefined, async () => graphql(req, res)),
  }));
  const port = await listen(server, config.port, config.host);
  log.info({ port }, 'gateway listening');
  const stop = runOnce(async () => {
    await closeServer(server);
    await apollo.stop();
    await limitStore.close();
    await partnerBuckets.close();
    await persistedQueries?.close();
    await tracing.shutdown();
  });
  return { url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`, port, httpServer: server, stop };
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startGateway(loadGatewayConfig());
    stopOnSignals([server.stop]);
  });
}
