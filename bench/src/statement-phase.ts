import { expectData, postGraphQL, productIds, subgraphHeaders } from './graphql-client';
import { readCounter } from './metrics-client';
import { ENTITIES_QUERY, productsQuery } from './queries';
import { createProducts } from './seed-products';
import type { Shop } from './shop-process';
import { staffToken } from './staff-token';

/** SQL statements the catalog sent for one request. */
export interface StatementCount {
  readonly path: 'gateway' | 'catalog direct';
  readonly operation: string;
  readonly items: number;
  readonly statements: number;
}

/** The statement-count phase's figures. */
export interface StatementResults {
  readonly counts: readonly StatementCount[];
  readonly productsCreated: number;
  /** Statements counted while idle for 200 ms (should be 0: nothing runs in the background). */
  readonly idleDrift: number;
}

const EXTRA_PRODUCTS = 60;

/**
 * With the catalog cache off (the shop was started with CATALOG_CACHE_TTL_SECONDS=0): adds products
 * so `first: 100` is full, then counts `db_statements_total` around single requests. Each request
 * is sent once uncounted first, so connection set-up is not counted.
 */
export async function runStatementPhase(shop: Shop, log: (line: string) => void): Promise<StatementResults> {
  const created = await createProducts(shop.gatewayUrl, await staffToken(shop.dataDir), EXTRA_PRODUCTS);
  log(`  created ${created.length} products through the gateway as staff`);
  const listed = productIds(expectData(await postGraphQL(shop.gatewayUrl, productsQuery(100)), 'products(first: 100)'), 100, 'products(first: 100)');

  const counted = async (send: () => Promise<void>) => {
    await send();
    const before = await readCounter(shop.catalogMetricsUrl, 'db_statements_total');
    await send();
    return (await readCounter(shop.catalogMetricsUrl, 'db_statements_total')) - before;
  };
  const viaGateway = (first: number) => async () => {
    productIds(expectData(await postGraphQL(shop.gatewayUrl, productsQuery(first)), `gateway products(first: ${first})`), first, 'gateway');
  };
  const viaEntities = (count: number) => async () => {
    const representations = listed.slice(0, count).map((id) => ({ __typename: 'Product', id }));
    const answer = await postGraphQL(shop.catalogUrl, ENTITIES_QUERY, { r: representations }, subgraphHeaders(shop.identitySecret));
    const entities = expectData(answer, `_entities x${count}`)._entities;
    if (!Array.isArray(entities) || entities.length !== count || entities.some((entity) => !entity)) {
      throw new Error(`_entities x${count}: expected ${count} products: ${answer.text.slice(0, 300)}`);
    }
  };

  const counts: StatementCount[] = [];
  for (const items of [10, 100]) {
    counts.push({ path: 'gateway', operation: `products(first: ${items})`, items, statements: await counted(viaGateway(items)) });
  }
  for (const items of [10, 100]) {
    counts.push({ path: 'catalog direct', operation: `_entities (${items} representations)`, items, statements: await counted(viaEntities(items)) });
  }
  const idleDrift = await counted(() => new Promise((resolve) => setTimeout(resolve, 200)));
  return { counts, productsCreated: created.length, idleDrift };
}
