import { migrateDeploy, type RunningServer } from '@shop/platform';
import { createTestAuth, createTestDatabase, type TestAuth } from '@shop/platform/testing';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '@shop/catalog';
import { loadGatewayConfig, startGateway } from '../src';

export const TEST_SECRET = 'e2e-gateway-subgraph-secret-at-least-32-bytes-long';

/** The shop as a client meets it: seeded catalog on a fresh database behind the gateway, free ports. */
export interface ShopTestStack {
  readonly gatewayUrl: string;
  readonly gatewayOrigin: string;
  readonly catalog: RunningServer;
  readonly catalogDatabaseUrl: string;
  readonly auth: TestAuth;
  stop(): Promise<void>;
}

export async function startShopTestStack(gatewayEnv: Record<string, string> = {}): Promise<ShopTestStack> {
  const database = await createTestDatabase('e2e');
  await migrateDeploy({ serviceDir: CATALOG_SERVICE_DIR, databaseUrl: database.url });
  await seedDemoCatalogAt(database.url);
  const auth = await createTestAuth();
  const catalog = await startCatalog(
    loadCatalogConfig({ CATALOG_DATABASE_URL: database.url, CATALOG_PORT: '0', GATEWAY_SUBGRAPH_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' }),
  );
  const gateway = await startGateway(
    loadGatewayConfig({
      PORT: '0',
      CATALOG_URL: catalog.url,
      GATEWAY_SUBGRAPH_SECRET: TEST_SECRET,
      JWT_JWKS: JSON.stringify(auth.jwks),
      LOG_LEVEL: 'silent',
      ...gatewayEnv,
    }),
  );
  return {
    gatewayUrl: gateway.url,
    gatewayOrigin: gateway.url.replace(/\/graphql$/, ''),
    catalog,
    catalogDatabaseUrl: database.url,
    auth,
    stop: async () => {
      await gateway.stop();
      await catalog.stop();
      await database.drop();
    },
  };
}
