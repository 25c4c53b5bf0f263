import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadCatalogConfig, startCatalog } from '@shop/catalog';
import { createTestAuth, createTestDatabase, postGraphQL } from '@shop/platform/testing';
import { loadGatewayConfig, startGateway } from '../src';

const STRONG_SECRET = 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA';
const repoRoot = path.join(__dirname, '../..');

describe('production mode', () => {
  test('SEC-6: an unexpected failure reaches the client masked: no stack, no SQL, no database name', async () => {
    // A database that has no tables: every catalog query fails inside Prisma.
    const database = await createTestDatabase('prod');
    const busDatabase = await createTestDatabase('prod_bus');
    const auth = await createTestAuth();
    const production = { NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: STRONG_SECRET, LOG_LEVEL: 'silent', BUS_DATABASE_URL: busDatabase.url };
    const catalog = await startCatalog(loadCatalogConfig({ ...production, CATALOG_DATABASE_URL: database.url, CATALOG_PORT: '0' }));
    const gateway = await startGateway(loadGatewayConfig({ ...production, PORT: '0', CATALOG_URL: catalog.url, JWT_JWKS: JSON.stringify(auth.jwks) }));
    try {
      const answer = await postGraphQL(gateway.url, '{ products(first: 5) { edges { node { id } } } }');
      expect(answer.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } });
      for (const leak of ['stacktrace', 'exception', 'prisma', 'SELECT', 'relation', database.name, '.ts:', 'node_modules']) {
        expect(answer.text).not.toContain(leak);
      }
      const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('graphiql');
    } finally {
      await gateway.stop();
      await catalog.stop();
      await database.drop();
      await busDatabase.drop();
    }
  });

  test.each([
    ['catalog', 'services/catalog/dist/main.js', 'changeme'],
    ['catalog', 'services/catalog/dist/main.js', 'too-short-secret'],
    ['gateway', 'gateway/dist/main.js', 'secret'],
    ['gateway', 'gateway/dist/main.js', ''],
  ])('SEC-5: %s refuses to start with GATEWAY_SUBGRAPH_SECRET=%s, saying so in one line', (_service, entry, secret) => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, entry)], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        GATEWAY_SUBGRAPH_SECRET: secret,
        CATALOG_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
        JWT_JWKS_URL: 'https://accounts.example/jwks.json',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^FATAL .*GATEWAY_SUBGRAPH_SECRET/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
