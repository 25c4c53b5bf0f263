import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, errorCodes, postGraphQL, startKafkaMock } from '@shop/platform/testing';

const TOKEN_CLI = path.join(__dirname, '../dist/token.cli.js');

const MAIN = path.join(__dirname, '../dist/main.js');
const COUNT = '{ products(first: 100) { edges { node { id variants { sku price { amount currency } } } } } }';

/** Starts `npm start`'s entry point and resolves with the gateway URL once it says it is ready. */
function startShop(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', CATALOG_PORT: '0', ACCOUNTS_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 100 s:\n${output}`)), 100_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready at (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: ready[1], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

/** Sends Ctrl-C and resolves with the exit code and, when it is not 0, what the shop printed. */
function stopShop(shop: { child: ChildProcess; output: () => string }): Promise<string> {
  return new Promise((resolve) => {
    shop.child.removeAllListeners('exit');
    shop.child.once('exit', (code) => resolve(code === 0 ? 'exit 0' : `exit ${code}:\n${shop.output()}`));
    shop.child.kill('SIGINT');
  });
}

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
const ADMIN_LINE = /Staff sign-in: admin@shop\.local, password (\S+) \(kept in /;
const PARTNER_LINE = /Demo partner \(demo-partner, read-only, [^)]*\): X-Api-Key (pk_demo_[A-Za-z0-9_-]+)\./;
/** ProductsPage's id in schemas/persisted-queries/demo-partner.json. */
const DEMO_MANIFEST = path.join(__dirname, '../../../schemas/persisted-queries/demo-partner.json');
const PRODUCTS_PAGE_ID = (JSON.parse(readFileSync(DEMO_MANIFEST, 'utf8')) as { operations: { id: string; name: string }[] }).operations.find(
  (operation) => operation.name === 'ProductsPage',
)?.id;

/** Runs the demo partner's ProductsPage by its id alone, as the partner would. */
async function partnerProducts(url: string, key: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ variables: { first: 3 }, extensions: { persistedQuery: { version: 1, sha256Hash: PRODUCTS_PAGE_ID } } }),
  });
  return ((await response.json()) as { data?: { products?: { edges: unknown[] } } }).data?.products?.edges.length;
}

/** Logs in through the gateway and answers with the caller's roles (`me`), or the error codes. */
async function rolesAfterLogin(url: string, password: string): Promise<string[]> {
  const login = await postGraphQL<{ login: { accessToken: string } }>(url, LOGIN, { variables: { email: 'admin@shop.local', password } });
  if (!login.data) return errorCodes(login);
  const me = await postGraphQL<{ me: { roles: string[] } }>(url, '{ me { roles } }', { headers: { authorization: `Bearer ${login.data.login.accessToken}` } });
  return me.data?.me.roles ?? errorCodes(me);
}

/** Processes whose command line names the cluster folder: PostgreSQL's postmaster has `-D <dir>`. */
function processesUsing(dir: string): string {
  return spawnSync('pgrep', ['-fa', dir], { encoding: 'utf8' }).stdout.trim();
}

describe('npm start (embedded mode)', () => {
  let dataDir: string;
  let parent: string;

  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'shop-embedded-'));
    await chmod(parent, 0o711); // the postgres user must be able to reach the data directory
    dataDir = path.join(parent, 'data');
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  let adminPassword = '';

  test('a first start seeds the demo catalogue and the staff admin; Ctrl-C stops everything, PostgreSQL included', async () => {
    const shop = await startShop(dataDir);
    const answer = await postGraphQL<{ products: { edges: unknown[] } }>(shop.url, COUNT);
    expect(answer.data?.products.edges).toHaveLength(54);
    expect(shop.output()).toContain('54 products created');
    // Every demo variant starts with SEED_DEMO_STOCK units (25), read through inventory's Variant.stock.
    const stock = await postGraphQL<{ products: { edges: { node: { variants: { stock: { available: number } }[] } }[] } }>(
      shop.url,
      '{ products(first: 3) { edges { node { variants { stock { available } } } } } }',
    );
    expect(new Set(stock.data?.products.edges.flatMap((edge) => edge.node.variants.map((variant) => variant.stock.available)))).toEqual(new Set([25]));
    adminPassword = ADMIN_LINE.exec(shop.output())?.[1] ?? '';
    expect(adminPassword.length).toBeGreaterThanOrEqual(20);
    expect(await rolesAfterLogin(shop.url, adminPassword)).toEqual(expect.arrayContaining(['STAFF']));
    expect(shop.output()).toContain(`One-time codes and email links land in ${path.join(dataDir, 'messages.jsonl')}`);
    // CONTRACT: embedded mode seeds one demo partner, whose key runs its safelist.
    expect(await partnerProducts(shop.url, PARTNER_LINE.exec(shop.output())?.[1] ?? 'no key printed')).toBe(3);
    expect(await stopShop(shop)).toBe('exit 0');
    expect(processesUsing(dataDir)).toBe('');
  });

  test('a second start reuses the data and seeds nothing twice', async () => {
    const shop = await startShop(dataDir);
    try {
      const answer = await postGraphQL<{ products: { edges: unknown[] } }>(shop.url, COUNT);
      expect(answer.data?.products.edges).toHaveLength(54);
      expect(shop.output()).toContain('already seeded, nothing added');
      expect(ADMIN_LINE.exec(shop.output())?.[1]).toBe(adminPassword);
      expect(await rolesAfterLogin(shop.url, adminPassword)).toEqual(expect.arrayContaining(['STAFF']));
    } finally {
      expect(await stopShop(shop)).toBe('exit 0');
    }
    expect(processesUsing(dataDir)).toBe('');
  });
});

describe('npm start with Kafka (PLAT-4)', () => {
  test('PLAT-4: with KAFKA_BROKERS set, a product update reaches catalog.events on Kafka within a second, readable by kcat', async () => {
    const kafka = await startKafkaMock();
    if (!kafka) {
      if (process.env.CI) throw new Error('kcat is not installed: .ci/run installs it');
      console.warn('*** Kafka start check SKIPPED: kcat is not installed ***');
      return;
    }
    const parent = await mkdtemp(path.join(tmpdir(), 'shop-kafka-'));
    await chmod(parent, 0o711);
    const dataDir = path.join(parent, 'data');
    const brokers = kafka.brokers.join(',');
    const shop = await startShop(dataDir, { KAFKA_BROKERS: brokers });
    try {
      const token = spawnSync(process.execPath, [TOKEN_CLI, '--role', 'STAFF'], { env: { PATH: process.env.PATH, DATA_DIR: dataDir }, encoding: 'utf8' }).stdout.trim();
      const list = await postGraphQL<{ products: { edges: { node: { id: string } }[] } }>(shop.url, '{ products(first: 1) { edges { node { id } } } }');
      const id = list.data?.products.edges[0]?.node.id ?? '';
      const updated = await postGraphQL(shop.url, 'mutation($id: ID!) { updateProduct(id: $id, input: { name: "Sent through Kafka" }) { id } }', {
        variables: { id },
        headers: { authorization: `Bearer ${token}`, 'x-correlation-id': 'kafka-start-check' },
      });
      expect(updated.errors).toBeUndefined();
      const committedAt = Date.now();
      let found: { timestamp: number; value: string } | undefined;
      while (!found && Date.now() - committedAt < 5_000) {
        const read = spawnSync('kcat', ['-C', '-b', brokers, '-t', 'catalog.events', '-o', 'beginning', '-e', '-q', '-f', '%T %s\n'], { encoding: 'utf8', timeout: 10_000 });
        const line = read.stdout.split('\n').find((text) => text.includes('"ProductUpdated"') && text.includes(id));
        if (line) found = { timestamp: Number(line.slice(0, line.indexOf(' '))), value: line.slice(line.indexOf(' ') + 1) };
      }
      expect(found).toBeDefined();
      expect(JSON.parse(found?.value ?? '{}')).toMatchObject({ type: 'ProductUpdated', aggregateId: id, correlationId: 'kafka-start-check' });
      expect((found?.timestamp ?? Infinity) - committedAt).toBeLessThan(1_000);
    } finally {
      expect(await stopShop(shop)).toBe('exit 0');
      await kafka.stop();
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000); // each service joins its Kafka consumer groups before it serves
});

describe('npm start with databases given from outside', () => {
  test('per-service database URLs replace the embedded PostgreSQL', async () => {
    const catalog = await createTestDatabase('ext_catalog');
    const accounts = await createTestDatabase('ext_accounts');
    const inventory = await createTestDatabase('ext_inventory');
    const orders = await createTestDatabase('ext_orders');
    const payments = await createTestDatabase('ext_payments');
    const shipping = await createTestDatabase('ext_shipping');
    const promotions = await createTestDatabase('ext_promotions');
    const bus = await createTestDatabase('ext_bus');
    const parent = await mkdtemp(path.join(tmpdir(), 'shop-external-'));
    const password = 'a chosen admin password';
    const shop = await startShop(path.join(parent, 'data'), {
      CATALOG_DATABASE_URL: catalog.url,
      ACCOUNTS_DATABASE_URL: accounts.url,
      INVENTORY_DATABASE_URL: inventory.url,
      ORDERS_DATABASE_URL: orders.url,
      PAYMENTS_DATABASE_URL: payments.url,
      SHIPPING_DATABASE_URL: shipping.url,
      PROMOTIONS_DATABASE_URL: promotions.url,
      BUS_DATABASE_URL: bus.url,
      SEED_ADMIN_PASSWORD: password,
    });
    try {
      expect(shop.output()).not.toContain('embedded PostgreSQL');
      const answer = await postGraphQL<{ products: { edges: unknown[] } }>(shop.url, COUNT);
      expect(answer.data?.products.edges).toHaveLength(54);
      expect(shop.output()).toContain('Staff sign-in: admin@shop.local, the password in SEED_ADMIN_PASSWORD');
      expect(await rolesAfterLogin(shop.url, password)).toEqual(expect.arrayContaining(['STAFF']));
    } finally {
      expect(await stopShop(shop)).toBe('exit 0');
      await catalog.drop();
      await accounts.drop();
      await inventory.drop();
      await orders.drop();
      await payments.drop();
      await shipping.drop();
      await promotions.drop();
      await bus.drop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
