import { randomBytes, randomUUID } from 'node:crypto';
import { createDatabaseIfMissing, createPool } from '@shop/platform';
import { embeddedDatabaseUrl } from './embedded-database';
import { expectData, postGraphQL } from './graphql-client';
import { percentileCont } from './percentile';
import type { Table } from './report';
import type { Shop } from './shop-process';
import { staffToken } from './staff-token';

/** One measured run of checkouts (or raw transactions) at one concurrency. */
export interface CheckoutRun {
  readonly target: 'gateway checkout' | 'raw guarded update';
  readonly clients: number;
  readonly seconds: number;
  readonly completed: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CheckoutResults {
  readonly runs: readonly CheckoutRun[];
  /** Gateway checkouts per second at 8 clients ÷ raw transactions per second at 8 clients (target ≥ 0.25). */
  readonly ratioToRaw: number;
  /** Gateway checkouts per second at 64 clients ÷ at 8 clients (target ≥ 0.8). */
  readonly scaling: number;
  /** After the last checkout, seconds until every order left PENDING (the saga's backlog). */
  readonly sagaDrainSeconds: number;
}

const CONCURRENCY = [8, 64] as const;
const HOT_STOCK = 1_000_000;
const ADDRESS = { name: 'Bench Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const ADD_LINE = `mutation ($variantId: ID!) { addCartLine(variantId: $variantId, quantity: 1) { id } }`;
const CHECKOUT = `mutation ($input: CheckoutInput!) { checkout(input: $input) { id status } }`;
const ORDER_STATUS = `query ($id: ID!) { order(id: $id) { status } }`;

function summary(target: CheckoutRun['target'], clients: number, seconds: number, times: number[], failed: number): CheckoutRun {
  return {
    target,
    clients,
    seconds,
    completed: times.length,
    failed,
    perSecond: times.length / seconds,
    p50Ms: percentileCont(times, 0.5) ?? 0,
    p99Ms: percentileCont(times, 0.99) ?? 0,
  };
}

/** Runs `clients` loops of `step` until `seconds` pass; a step answers the milliseconds it measured, or null when it failed. */
async function loop(clients: number, seconds: number, step: (client: number) => Promise<number | null>): Promise<{ times: number[]; failed: number }> {
  const deadline = performance.now() + seconds * 1000;
  const times: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const measured = await step(client);
        if (measured === null) failed += 1;
        else times.push(measured);
      }
    }),
  );
  return { times, failed };
}

/** A signed-in customer per client: each has its own cart, as real buyers do. */
async function registerBuyers(gatewayUrl: string, count: number): Promise<string[]> {
  const tag = randomBytes(4).toString('hex');
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const input = { email: `buyer-${tag}-${i}@example.com`, password: `bench buyer ${tag} ${i}!`, name: `Buyer ${i}` };
      const data = expectData(await postGraphQL(gatewayUrl, `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`, { input }), 'register a buyer');
      return (data.register as { accessToken: string }).accessToken;
    }),
  );
}

/** The first demo variant, stocked far beyond what the run can sell, once orders has it in its catalogue copy. */
async function hotVariant(shop: Shop, buyer: string): Promise<string> {
  const data = expectData(await postGraphQL(shop.gatewayUrl, '{ products(first: 1) { edges { node { variants { id } } } } }'), 'read the catalogue');
  const variantId = (data.products as { edges: { node: { variants: { id: string }[] } }[] }).edges[0]?.node.variants[0]?.id;
  if (!variantId) throw new Error('the demo catalogue has no variant');
  const staff = { authorization: `Bearer ${await staffToken(shop.dataDir)}` };
  expectData(
    await postGraphQL(shop.gatewayUrl, `mutation ($v: ID!, $q: Int!) { setStock(variantId: $v, quantity: $q, reason: "bench") { available } }`, { v: variantId, q: HOT_STOCK }, staff),
    'stock the hot variant',
  );
  const until = Date.now() + 60_000;
  for (;;) {
    const answer = await postGraphQL(shop.gatewayUrl, ADD_LINE, { variantId }, { authorization: `Bearer ${buyer}` });
    if (answer.status === 200 && !answer.errors) return variantId;
    if (Date.now() > until) throw new Error(`orders never learned the hot variant: ${answer.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function gatewayRun(shop: Shop, variantId: string, buyers: readonly string[], clients: number, seconds: number, orders: string[]): Promise<CheckoutRun> {
  const { times, failed } = await loop(clients, seconds, async (client) => {
    const headers = { authorization: `Bearer ${buyers[client] ?? ''}` };
    const added = await postGraphQL(shop.gatewayUrl, ADD_LINE, { variantId }, headers);
    if (added.errors || added.status !== 200) return null;
    const input = { idempotencyKey: randomUUID(), shippingAddress: ADDRESS };
    const started = performance.now();
    const answer = await postGraphQL(shop.gatewayUrl, CHECKOUT, { input }, headers);
    const elapsed = performance.now() - started;
    const id = (answer.data?.checkout as { id?: string } | undefined)?.id;
    if (!id || answer.errors) return null;
    orders.push(id);
    return elapsed;
  });
  return summary('gateway checkout', clients, seconds, times, failed);
}

/** The raw baseline: pgbench's idea of a hot-row reservation, a guarded update plus a ledger row per transaction. */
async function rawRun(url: string, clients: number, seconds: number): Promise<CheckoutRun> {
  const pool = createPool({ url, poolSize: clients });
  try {
    const { times, failed } = await loop(clients, seconds, async () => {
      const started = performance.now();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const taken = await client.query('UPDATE hot_stock SET reserved = reserved + 1 WHERE id = 1 AND on_hand - reserved >= 1');
        await client.query('INSERT INTO hot_movement (stock_id, delta) VALUES (1, 1)');
        await client.query('COMMIT');
        return taken.rowCount === 1 ? performance.now() - started : null;
      } catch {
        await client.query('ROLLBACK');
        return null;
      } finally {
        client.release();
      }
    });
    return summary('raw guarded update', clients, seconds, times, failed);
  } finally {
    await pool.end();
  }
}

async function prepareRaw(shop: Shop): Promise<string> {
  const admin = await embeddedDatabaseUrl(shop, 'postgres');
  await createDatabaseIfMissing(admin, 'bench_raw');
  const url = await embeddedDatabaseUrl(shop, 'bench_raw');
  const pool = createPool({ url, poolSize: 1 });
  try {
    await pool.query('DROP TABLE IF EXISTS hot_movement, hot_stock');
    await pool.query('CREATE TABLE hot_stock (id int PRIMARY KEY, on_hand int NOT NULL, reserved int NOT NULL, CHECK (on_hand - reserved >= 0))');
    await pool.query('CREATE TABLE hot_movement (id bigserial PRIMARY KEY, stock_id int NOT NULL, delta int NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    await pool.query('INSERT INTO hot_stock VALUES (1, $1, 0)', [HOT_STOCK]);
  } finally {
    await pool.end();
  }
  return url;
}

/** Seconds until every order in `orders` has left PENDING, polling the newest ones (they finish last). */
async function sagaDrain(shop: Shop, orders: readonly string[], token: string): Promise<number> {
  const started = Date.now();
  const last = orders.slice(-20);
  const headers = { authorization: `Bearer ${token}` };
  while (Date.now() - started < 120_000) {
    const states = await Promise.all(last.map(async (id) => (await postGraphQL(shop.gatewayUrl, ORDER_STATUS, { id }, headers)).data?.order));
    if (states.every((order) => (order as { status?: string } | null | undefined)?.status !== 'PENDING')) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Number.NaN;
}

/**
 * Hot-SKU checkout: signed-in buyers each add one unit of the same variant and check out, 8 and
 * then 64 at once, through the gateway; beside it, on the same PostgreSQL in the same run, the raw
 * guarded-update transaction a pgbench script would run against one hot row.
 */
export async function runCheckoutPhase(shop: Shop, seconds: number, log: (line: string) => void): Promise<CheckoutResults> {
  const buyers = await registerBuyers(shop.gatewayUrl, Math.max(...CONCURRENCY));
  const variantId = await hotVariant(shop, buyers[0] ?? '');
  const rawUrl = await prepareRaw(shop);
  const runs: CheckoutRun[] = [];
  const orders: string[] = [];
  for (const clients of CONCURRENCY) {
    runs.push(await rawRun(rawUrl, clients, seconds));
    runs.push(await gatewayRun(shop, variantId, buyers, clients, seconds, orders));
  }
  for (const run of runs) log(`  ${run.target}, ${run.clients} clients: ${run.perSecond.toFixed(0)}/s, p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms`);
  const staff = await staffToken(shop.dataDir);
  const sagaDrainSeconds = await sagaDrain(shop, orders, staff);
  const rate = (target: CheckoutRun['target'], clients: number) => runs.find((r) => r.target === target && r.clients === clients)?.perSecond ?? 0;
  return {
    runs,
    ratioToRaw: rate('gateway checkout', 8) / Math.max(rate('raw guarded update', 8), 1e-9),
    scaling: rate('gateway checkout', 64) / Math.max(rate('gateway checkout', 8), 1e-9),
    sagaDrainSeconds,
  };
}

export function checkoutTable(results: CheckoutResults): Table {
  return {
    title:
      `Hot-SKU checkout (one variant, every buyer) through the gateway beside a raw guarded-update transaction on the same PostgreSQL. ` +
      `Gateway ÷ raw at 8 clients: ${results.ratioToRaw.toFixed(3)} (target ≥ 0.25); gateway 64 ÷ 8 clients: ${results.scaling.toFixed(2)} (target ≥ 0.8); ` +
      `saga backlog drained ${results.sagaDrainSeconds.toFixed(1)} s after the last checkout`,
    rows: [
      ['run', 'clients', 'per s', 'p50 ms', 'p99 ms', 'completed', 'failed'],
      ...results.runs.map((r) => [r.target, String(r.clients), r.perSecond.toFixed(0), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1), String(r.completed), String(r.failed)]),
    ],
  };
}
