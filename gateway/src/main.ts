import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  BusinessError,
  closeServer,
  createHttpServer,
  createServerMetrics,
  currentCorrelationId,
  exitOnConfigError,
  handleGraphQL,
  IdentitySigner,
  listen,
  metricsRoute,
  runOnce,
  sendJson,
  serviceLogger,
  stopOnSignals,
  type RouteHandler,
  type RunningServer,
} from '@shop/platform';
import { createAuthenticate } from './authenticate';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { formatGatewayError } from './format-gateway-error';
import { playgroundAssetRoutes, servePlaygroundPage, wantsHtml } from './playground';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { SUPERGRAPH_PATH } from './subgraphs';
import { verifyEmailPage } from './verify-email-page';

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

/**
 * Starts the one public GraphQL endpoint: Apollo Gateway over the checked-in supergraph (no
 * runtime composition), identity verified here and passed on signed, errors masked.
 */
export async function startGateway(config: GatewayConfig, supergraphSdl = readFileSync(SUPERGRAPH_PATH, 'utf8')): Promise<RunningServer> {
  const signer = new IdentitySigner(config.identitySecret);
  const authenticate = createAuthenticate(config.jwks, config.tokenAudience);
  const metrics = createServerMetrics('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(config.subgraphUrls[name] ?? url ?? '', signer),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (stopOnSignals, the launcher): Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [metrics.plugin, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();

  const graphql: RouteHandler = async (req, res) => {
    if (req.method === 'GET' && config.playground && wantsHtml(req)) return servePlaygroundPage(req, res);
    let identity;
    try {
      identity = await authenticate(req);
    } catch (error) {
      if (!(error instanceof BusinessError)) throw error;
      return sendJson(res, 401, { errors: [{ message: error.message, extensions: { code: error.code, retryable: false } }] });
    }
    const correlationId = currentCorrelationId() ?? 'none';
    const clientAddress = req.socket.remoteAddress ?? 'unknown';
    await handleGraphQL(apollo, req, res, async () => ({ identity, correlationId, clientAddress }));
  };

  const server = createHttpServer({
    ...(config.playground ? playgroundAssetRoutes() : {}),
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    'GET /readyz': async (_req, res) => {
      const subgraphs = await subgraphsReady(Object.values(config.subgraphUrls));
      const ready = Object.values(subgraphs).every(Boolean);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraphs });
    },
    'GET /metrics': metricsRoute(metrics),
    'GET /verify-email': verifyEmailPage(apollo),
    '* /graphql': graphql,
  });
  const port = await listen(server, config.port, config.host);
  log.info({ port }, 'gateway listening');
  const stop = runOnce(async () => {
    await closeServer(server);
    await apollo.stop();
  });
  return { url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`, port, httpServer: server, stop };
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startGateway(loadGatewayConfig());
    stopOnSignals([server.stop]);
  });
}
