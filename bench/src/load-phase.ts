import type { BareServer } from './bare-process';
import type { Cleanup } from './cleanup';
import type { BenchConfig } from './config';
import { expectData, postGraphQL, productIds, subgraphHeaders } from './graphql-client';
import { measure, type LoadTarget, type RunSummary } from './load-run';
import { LOAD_QUERY } from './queries';
import type { Shop } from './shop-process';

/** Every measured run of the load phase. */
export interface LoadResults {
  readonly gateway: RunSummary;
  readonly direct: RunSummary;
  readonly bare: RunSummary;
  readonly gatewaySingle: RunSummary;
  readonly directSingle: RunSummary;
  /** Response sizes of one request, in bytes. */
  readonly bodyBytes: { readonly gateway: number; readonly direct: number; readonly bare: number };
}

const LOAD_BODY = JSON.stringify({ query: LOAD_QUERY });

/** The three targets: through the gateway, straight to the catalog subgraph, and the bare server. */
export function loadTargets(shop: Shop, bare: BareServer): { gateway: LoadTarget; direct: LoadTarget; bare: LoadTarget } {
  return {
    gateway: { name: 'gateway', url: shop.gatewayUrl, method: 'POST', headers: () => ({}), body: LOAD_BODY },
    direct: { name: 'catalog direct', url: shop.catalogUrl, method: 'POST', headers: () => subgraphHeaders(shop.identitySecret), body: LOAD_BODY },
    bare: { name: 'bare node:http', url: bare.url, method: 'POST', headers: () => ({}), body: LOAD_BODY },
  };
}

/** One request per target before any load: 200, and 20 product edges for the GraphQL ones. */
async function checkTargets(shop: Shop, bare: BareServer): Promise<LoadResults['bodyBytes']> {
  const gateway = await postGraphQL(shop.gatewayUrl, LOAD_QUERY);
  productIds(expectData(gateway, 'gateway check'), 20, 'gateway check');
  const direct = await postGraphQL(shop.catalogUrl, LOAD_QUERY, undefined, subgraphHeaders(shop.identitySecret));
  productIds(expectData(direct, 'direct check'), 20, 'direct check');
  const response = await fetch(bare.url, { method: 'POST', body: LOAD_BODY, headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`bare server check: HTTP ${response.status}`);
  JSON.parse(text);
  return { gateway: Buffer.byteLength(gateway.text), direct: Buffer.byteLength(direct.text), bare: Buffer.byteLength(text) };
}

/** Checks, then throughput runs (N connections) and latency runs (1 connection), each after a warm-up. */
export async function runLoadPhase(shop: Shop, bare: BareServer, config: BenchConfig, cleanup: Cleanup, log: (line: string) => void): Promise<LoadResults> {
  const bodyBytes = await checkTargets(shop, bare);
  log(`  checks passed (response bodies: gateway ${bodyBytes.gateway} B, direct ${bodyBytes.direct} B, bare ${bodyBytes.bare} B)`);
  const targets = loadTargets(shop, bare);
  const throughput = { connections: config.connections, seconds: config.durationSeconds, warmupSeconds: config.warmupSeconds, cleanup };
  const latency = { connections: 1, seconds: config.latencySeconds, warmupSeconds: config.warmupSeconds, cleanup, exactLatency: true };
  const run = async (target: LoadTarget, options: typeof latency | typeof throughput) => {
    log(`  ${target.name}: ${options.connections} connection(s), ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
    const summary = await measure(target, options);
    log(`    ${summary.requestsPerSecond.toFixed(0)} req/s, p50 ${summary.exactP50Ms?.toFixed(2) ?? summary.latencyP50Ms} ms`);
    return summary;
  };
  return {
    gateway: await run(targets.gateway, throughput),
    direct: await run(targets.direct, throughput),
    bare: await run(targets.bare, throughput),
    gatewaySingle: await run(targets.gateway, latency),
    directSingle: await run(targets.direct, latency),
    bodyBytes,
  };
}
