import pg from 'pg';
import { startShopTestStack } from './shop-test-stack';

/** The e2e stacks' databases (`t_e2e...`) on the test server, and the sessions on them. */
async function stackDatabases(admin: pg.Pool): Promise<{ databases: string[]; sessions: number }> {
  const databases = (await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 't\\_e2e%' ORDER BY 1")).rows.map((row) => row.datname);
  const sessions = (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE 't\\_e2e%'")).rows[0]?.n ?? 0;
  return { databases, sessions };
}

describe('the shop test stack', () => {
  test('a start that fails halfway stops what it started and drops its databases, so the test run can end', async () => {
    const admin = new pg.Pool({ connectionString: process.env.TEST_POSTGRES_URL, max: 1 });
    try {
      // Other runs may share the server: only what this start adds is compared.
      const before = await stackDatabases(admin);
      // Orders refuses this setting: catalog, accounts and inventory are already running by then.
      await expect(startShopTestStack({ ordersEnv: { CART_MAX_QUANTITY: 'many' } })).rejects.toThrow(/CART_MAX_QUANTITY/);
      const after = await stackDatabases(admin);
      expect(after.databases).toEqual(before.databases);
      expect(after.sessions).toBeLessThanOrEqual(before.sessions);
    } finally {
      await admin.end();
    }
  });
});
