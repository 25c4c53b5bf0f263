import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CORRELATION_HEADER, logger, readBody, type RunningServer } from '@shop/platform';
import { loadGatewayConfig, startGateway } from '../src';
import { startShopTestStack, TEST_SECRET, type ShopTestStack } from './shop-test-stack';

/** One exported span, flattened from OTLP/HTTP JSON. */
interface ExportedSpan {
  readonly service: string;
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

const attributesOf = (list: readonly OtlpAttribute[] = []) => Object.fromEntries(list.map((item) => [item.key, item.value.stringValue ?? item.value.intValue]));

/** An OTLP/HTTP collector in the test: keeps every span posted to /v1/traces. */
async function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server = http.createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as OtlpExport;
    for (const resource of body.resourceSpans) {
      const service = String(attributesOf(resource.resource.attributes)['service.name']);
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          spans.push({ service, name: span.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, attributes: attributesOf(span.attributes) });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lines the process logger writes while `work` runs, kept from the test output. */
async function captureLogLines(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const streamKey = Object.getOwnPropertySymbols(logger).find((symbol) => symbol.description === 'pino.stream');
  const stream = (logger as unknown as Record<symbol, { write(line: string): boolean }>)[streamKey as symbol];
  const lines: string[] = [];
  const level = logger.level;
  logger.level = 'info';
  const spy = jest.spyOn(stream as { write(line: string): boolean }, 'write').mockImplementation((line) => lines.push(line) > 0);
  try {
    await work();
  } finally {
    spy.mockRestore();
    logger.level = level;
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('observability (PLAT-3)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let stack: ShopTestStack;
  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  beforeAll(async () => {
    collector = await startCollector();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    stack = await startShopTestStack({ gatewayEnv: { ...tracing, LOG_LEVEL: 'warn' }, catalogEnv: tracing, accountsEnv: tracing });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await collector?.close();
  });

  test('PLAT-3: one trace runs from the gateway through catalog to its SQL statements for a products query', async () => {
    const response = await post('query TracedProducts { products(first: 2) { edges { node { id name } } } }');
    expect(response.status).toBe(200);
    const sql = await waitFor(() => {
      const gatewaySpan = collector.spans.find((span) => span.service === 'gateway' && span.name === 'POST /graphql');
      return gatewaySpan && collector.spans.find((span) => span.traceId === gatewaySpan.traceId && span.service === 'catalog' && span.name.startsWith('db '));
    });
    const trace = collector.spans.filter((span) => span.traceId === sql.traceId);
    const gatewaySpan = trace.find((span) => span.service === 'gateway' && !span.parentSpanId);
    const catalogSpan = trace.find((span) => span.service === 'catalog' && span.name === 'POST /graphql');
    // The gateway's call to catalog is its own span, between the request and catalog's.
    const callSpan = trace.find((span) => span.service === 'gateway' && span.name === 'subgraph catalog');
    expect(callSpan?.parentSpanId).toBe(gatewaySpan?.spanId);
    expect(catalogSpan?.parentSpanId).toBe(callSpan?.spanId);
    expect(sql.attributes['db.system']).toBe('postgresql');
    expect(String(sql.attributes['db.statement'])).toMatch(/SELECT/i);
    // The SQL span hangs under the catalog request (directly or through another SQL span's parent chain).
    const ancestors = new Set<string>();
    for (let span: ExportedSpan | undefined = sql; span; span = trace.find((candidate) => candidate.spanId === span?.parentSpanId)) ancestors.add(span.spanId);
    expect(ancestors.has(catalogSpan?.spanId ?? '')).toBe(true);
  });

  test('PLAT-3: /metrics counts requests per operation name and client', async () => {
    await post('query MeteredProducts { products(first: 1) { edges { node { id } } } }', { 'apollographql-client-name': 'ios-app' });
    await post('query MeteredProducts { products(first: 1) { edges { node { id } } } }');
    await post('query MeteredProducts { products(first: 1) { edges { node { id } } } }', { 'apollographql-client-name': 'partner:acme' });
    const text = await (await fetch(`${stack.gatewayOrigin}/metrics`)).text();
    expect(text).toMatch(/^graphql_requests_total\{operation="MeteredProducts",client="ios-app"[^}]*\} 1$/m);
    // No key, no partner label: a client cannot claim one in a header.
    expect(text).toMatch(/^graphql_requests_total\{operation="MeteredProducts",client="web"[^}]*\} 2$/m);
    expect(text).not.toMatch(/client="partner:acme"/);
  });

  test('PLAT-3: /readyz answers 503 while the configured Redis is down, 200 with subgraphs up and no Redis', async () => {
    expect((await fetch(`${stack.gatewayOrigin}/readyz`)).status).toBe(200);
    let gateway: RunningServer | undefined;
    try {
      gateway = await startGateway(
        loadGatewayConfig({
          GATEWAY_SUBGRAPH_SECRET: TEST_SECRET,
          JWT_JWKS: JSON.stringify(stack.auth.jwks),
          JWT_ISSUER: stack.auth.audience.issuer,
          JWT_AUDIENCE: stack.auth.audience.audience,
          LOG_LEVEL: 'silent',
          PORT: '0',
          CATALOG_URL: stack.catalog.url,
          ACCOUNTS_URL: stack.accounts.url,
          REDIS_URL: 'redis://127.0.0.1:1',
        }),
      );
      const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', redis: false });
    } finally {
      await gateway?.stop();
    }
  });

  test('PLAT-3: log lines of a request carry its trace id and correlation id', async () => {
    // Accounts down: the gateway logs the unreachable subgraph inside the request.
    await stack.accounts.stop();
    const lines = await captureLogLines(async () => {
      await post('query WhoAmI { me { id } }', { [CORRELATION_HEADER]: 'trace-log-test' });
    });
    const line = lines.find((entry) => entry.msg === 'subgraph unreachable');
    expect(line).toMatchObject({ correlationId: 'trace-log-test', traceId: expect.stringMatching(/^[0-9a-f]{32}$/), spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    await waitFor(() => collector.spans.find((span) => span.service === 'gateway' && span.traceId === line?.traceId));
  });
});
