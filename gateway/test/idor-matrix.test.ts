import { readFileSync } from 'node:fs';
import pg from 'pg';
import { postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { SUPERGRAPH_PATH } from '../src';
import { discoverTargets, type IdorTarget } from './idor/discovery';
import { metaOrdersFixtures } from './idor/meta-orders.fixtures';
import { startMetaOrdersStack, type MetaOrdersStack } from './idor/meta-orders-subgraph';
import { checkCoverage } from './idor/registry';
import { runMatrix, type Finding } from './idor/runner';
import { SHOP_EXEMPTIONS, SHOP_FIXTURES, type ShopServices } from './idor/shop.fixtures';
import { judge } from './idor/verdict';
import { startShopTestStack, TEST_SECRET, type ShopTestStack } from './shop-test-stack';

const COVERED = { uncovered: [], stale: [], unexplained: [], doubled: [] };

/** Every subgraph an entity lives on. */
const subgraphsOf = (targets: readonly IdorTarget[]) => [...new Set(targets.flatMap((t) => (t.kind === 'Entity' ? t.subgraphs : [])))];

/**
 * The stack names each subgraph's server after the subgraph (`catalog`, ...), so a subgraph added
 * to the stack is found here without editing this test; one that is missing is a finding.
 */
function runningSubgraphUrls(stack: ShopTestStack, names: readonly string[]): Record<string, string> {
  const servers = stack as unknown as Readonly<Record<string, { readonly url?: unknown } | undefined>>;
  return Object.fromEntries(names.flatMap((name) => (typeof servers[name]?.url === 'string' ? [[name, servers[name].url]] : [])));
}

/** Runs SQL on one service's database, for fixtures that seed or read what the API does not offer them. */
const sqlOn = (pool: pg.Pool) => async (text: string, values?: readonly unknown[]) => (await pool.query<Record<string, unknown>>(text, values ? [...values] : undefined)).rows;

/** Registers a customer through the gateway, as a shopper would; returns its account id. */
async function registerAccount(gatewayUrl: string, label: string): Promise<string> {
  const input = { email: `${label}@idor.example.com`, password: `idor password ${label}`, name: `Idor ${label}` };
  const answer = await postGraphQL<{ register: { customer: { id: string } } }>(gatewayUrl, 'mutation ($input: RegisterInput!) { register(input: $input) { customer { id } } }', {
    variables: { input },
  });
  const id = answer.data?.register.customer.id;
  if (!id) throw new Error(`could not register owner A: ${answer.text}`);
  return id;
}

describe('IDOR matrix over the shop supergraph', () => {
  const targets = discoverTargets(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  let stack: ShopTestStack;
  let catalogDb: pg.Pool;
  let accountsDb: pg.Pool;
  let inventoryDb: pg.Pool;
  let paymentsDb: pg.Pool;
  let shippingDb: pg.Pool;
  let promotionsDb: pg.Pool;
  beforeAll(async () => {
    // Every owner A registers from 127.0.0.1 (accounts' and the gateway's limits); limits are not what this test is about.
    stack = await startShopTestStack({ rateLimitScale: 1000, gatewayEnv: { RATE_LIMIT_SCALE: '1000' } });
    catalogDb = new pg.Pool({ connectionString: stack.catalogDatabaseUrl, max: 2 });
    accountsDb = new pg.Pool({ connectionString: stack.accountsDatabaseUrl, max: 2 });
    inventoryDb = new pg.Pool({ connectionString: stack.inventoryDatabaseUrl, max: 2 });
    paymentsDb = new pg.Pool({ connectionString: stack.paymentsDatabaseUrl, max: 2 });
    shippingDb = new pg.Pool({ connectionString: stack.shippingDatabaseUrl, max: 2 });
    promotionsDb = new pg.Pool({ connectionString: stack.promotionsDatabaseUrl, max: 2 });
  });
  afterAll(async () => {
    await catalogDb?.end();
    await accountsDb?.end();
    await inventoryDb?.end();
    await paymentsDb?.end();
    await shippingDb?.end();
    await promotionsDb?.end();
    await stack?.stop();
  });

  test('SEC-3: discovery finds the id-taking fields and the entities of the supergraph', () => {
    expect(targets.map((target) => target.key)).toEqual(
      expect.arrayContaining(['Query.product', 'Query.products', 'Mutation.createProduct', 'Mutation.updateProduct', 'Entity.Product', 'Entity.Variant']),
    );
    expect(targets).toContainEqual({ kind: 'Mutation', key: 'Mutation.updateProduct', field: 'updateProduct', idPaths: ['id', 'input.categoryId'] });
    expect(targets).toContainEqual({ kind: 'Entity', key: 'Entity.Product', typeName: 'Product', keyFields: ['id'], subgraphs: ['catalog'] });
  });

  test('SEC-3: every discovered field and entity has a fixture or an exemption with a reason, and none is stale', () => {
    expect(checkCoverage(targets, SHOP_FIXTURES, SHOP_EXEMPTIONS)).toEqual(COVERED);
  });

  test("SEC-3: as customer B, seller B and a guest, no field or entity reveals or changes A's object", async () => {
    const services: ShopServices = {
      catalogSql: sqlOn(catalogDb),
      accountsSql: sqlOn(accountsDb),
      inventorySql: sqlOn(inventoryDb),
      paymentsSql: sqlOn(paymentsDb),
      shippingSql: sqlOn(shippingDb),
      promotionsSql: sqlOn(promotionsDb),
    };
    const findings = await runMatrix(targets, SHOP_FIXTURES, {
      gatewayUrl: stack.gatewayUrl,
      subgraphUrls: runningSubgraphUrls(stack, subgraphsOf(targets)),
      identitySecret: TEST_SECRET,
      token: (userId, roles) => stack.auth.token(userId, roles),
      createAccount: (label) => registerAccount(stack.gatewayUrl, label),
      services,
    });
    expect(findings).toEqual([]);
  });
});

describe('IDOR matrix meta-test: a fixture subgraph with deliberately unguarded fields', () => {
  let orders: MetaOrdersStack;
  let targets: IdorTarget[];
  beforeAll(async () => {
    orders = await startMetaOrdersStack();
    targets = discoverTargets(orders.supergraphSdl);
  });
  afterAll(async () => {
    await orders?.stop();
  });

  test('SEC-3: a new id field without a fixture is flagged (its ID two inputs deep), so is a fixture for a field that is gone', () => {
    expect(checkCoverage(targets, metaOrdersFixtures, {})).toEqual({ ...COVERED, uncovered: ['Query.orders (ids at filter.placedBy.id)'], stale: ['Query.cancelledOrder'] });
    expect(checkCoverage(targets, metaOrdersFixtures, { 'Query.orders': 'a list filtered by the caller, exercised elsewhere' }).uncovered).toEqual([]);
    expect(checkCoverage(targets, metaOrdersFixtures, { 'Query.orders': ' ', 'Query.order': 'both' })).toMatchObject({ unexplained: ['Query.orders'], doubled: ['Query.order'] });
  });

  test('SEC-3: the matrix reports the unguarded read, mutation and entity, and nothing that is guarded', async () => {
    const findings = await runMatrix(targets, metaOrdersFixtures, {
      gatewayUrl: orders.gatewayUrl,
      subgraphUrls: { orders: orders.subgraphUrl },
      identitySecret: orders.identitySecret,
      token: (userId, roles) => orders.auth.token(userId, roles),
      services: undefined,
    });
    expect([...new Set(findings.map((finding) => finding.target))].sort()).toEqual(['Entity.Order on orders', 'Mutation.leakyRenameOrder', 'Query.leakyOrder']);
    const expected: Partial<Finding>[] = [
      { target: 'Query.leakyOrder', caller: 'customer B', problem: expect.stringContaining("A's data in the answer") },
      { target: 'Query.leakyOrder', caller: 'customer B', problem: expect.stringContaining('answers unlike a missing object') },
      { target: 'Mutation.leakyRenameOrder', caller: 'intruders', problem: expect.stringContaining("A's object changed") },
      { target: 'Entity.Order on orders', caller: 'guest', problem: expect.stringContaining("A's data in the answer") },
    ];
    expect(findings).toEqual(expect.arrayContaining(expected.map((finding) => expect.objectContaining(finding))));
  });

  test('SEC-3: FORBIDDEN on another customer\'s object, where a random id gets NOT_FOUND, is reported', () => {
    const answer = (code: string): GraphQLAnswer<unknown> => {
      const errors = [{ message: code, path: ['order'], extensions: { code } }];
      return { status: 200, headers: new Headers(), data: { order: null }, errors, text: JSON.stringify({ data: { order: null }, errors }) };
    };
    const owned = { ids: { id: 'a-1' }, secrets: ['a-1'] };
    const problems = judge('private', owned, { guest: false, onOwned: answer('FORBIDDEN'), onMissing: { answer: answer('NOT_FOUND'), ids: { id: 'r-1' } } });
    expect(problems).toEqual([expect.stringContaining('answered FORBIDDEN'), expect.stringContaining('answers unlike a missing object')]);
  });
});
