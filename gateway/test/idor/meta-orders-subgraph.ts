import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import pg from 'pg';
import { allow, hasRole, isAuthenticated, isStaff, notFound, StatementCounter, startSubgraph, type RequestContext } from '@shop/platform';
import { createTestAuth, type TestAuth } from '@shop/platform/testing';
import { loadGatewayConfig, startGateway } from '../../src';

/** The SDL of the meta-test's subgraph: guarded fields beside deliberately unguarded ones. */
export const ORDERS_SDL = readFileSync(path.join(__dirname, 'fixtures/meta-orders-subgraph.graphql'), 'utf8');

interface StoredOrder {
  readonly id: string;
  readonly ownerId: string;
  note: string;
  voided: boolean;
  readonly invoice: { readonly id: string; readonly amount: number };
}

/** In memory: the meta-test is about authorization, not storage. */
const orders = new Map<string, StoredOrder>();

function anyOrder(id: string): StoredOrder {
  const order = orders.get(id);
  if (!order) throw notFound('No order with this id.');
  return order;
}

/** The owner-or-staff check the guarded fields make. */
function ownOrder(ctx: RequestContext, id: string): StoredOrder {
  const order = orders.get(id);
  if (!order || (order.ownerId !== ctx.identity.userId && !hasRole(ctx.identity, 'STAFF'))) throw notFound('No order with this id.');
  return order;
}

const resolvers = {
  Query: {
    order: (_: unknown, args: { id: string }, ctx: RequestContext) => ownOrder(ctx, args.id),
    leakyOrder: (_: unknown, args: { id: string }) => anyOrder(args.id),
    orders: () => [],
  },
  Mutation: {
    placeOrder: (_: unknown, args: { note: string }, ctx: RequestContext) => {
      const order = { id: randomUUID(), ownerId: String(ctx.identity.userId), note: args.note, voided: false, invoice: { id: randomUUID(), amount: 4200 } };
      orders.set(order.id, order);
      return order;
    },
    renameOrder: (_: unknown, args: { id: string; note: string }, ctx: RequestContext) => Object.assign(ownOrder(ctx, args.id), { note: args.note }),
    leakyRenameOrder: (_: unknown, args: { id: string; note: string }) => Object.assign(anyOrder(args.id), { note: args.note }),
    voidOrder: (_: unknown, args: { id: string }) => Object.assign(anyOrder(args.id), { voided: true }),
  },
  Order: { __resolveReference: (reference: { id: string }) => orders.get(reference.id) ?? null },
  Invoice: {
    __resolveReference: (reference: { id: string }, ctx: RequestContext) => {
      const order = [...orders.values()].find((candidate) => candidate.invoice.id === reference.id);
      return order && order.ownerId === ctx.identity.userId ? order.invoice : null;
    },
  },
};

const rules = {
  Query: { order: isAuthenticated, leakyOrder: isAuthenticated, orders: isAuthenticated },
  Mutation: { placeOrder: isAuthenticated, renameOrder: isAuthenticated, leakyRenameOrder: isAuthenticated, voidOrder: isStaff },
  Order: allow,
  Invoice: allow,
};

/** The fixture subgraph behind a real gateway, composed from its SDL for this test only. */
export interface MetaOrdersStack {
  readonly gatewayUrl: string;
  readonly subgraphUrl: string;
  readonly supergraphSdl: string;
  readonly identitySecret: string;
  readonly auth: TestAuth;
  stop(): Promise<void>;
}

export async function startMetaOrdersStack(): Promise<MetaOrdersStack> {
  const identitySecret = randomBytes(32).toString('hex');
  const auth = await createTestAuth();
  // Loaded first: loading a config also sets the shared log level, which keeps the subgraph quiet too.
  const config = loadGatewayConfig({ PORT: '0', GATEWAY_SUBGRAPH_SECRET: identitySecret, JWT_JWKS: JSON.stringify(auth.jwks), LOG_LEVEL: 'silent' });
  // startSubgraph reports on a pool; this subgraph never queries it.
  const pool = new pg.Pool({ connectionString: process.env.TEST_POSTGRES_URL, max: 1 });
  const subgraph = await startSubgraph<RequestContext>({
    name: 'orders',
    typeDefs: parse(ORDERS_SDL),
    resolvers,
    rules,
    host: '127.0.0.1',
    port: 0,
    identitySecret,
    pool,
    statements: new StatementCounter(),
    createContext: (base) => base,
    onStop: () => pool.end(),
  });
  const composed = composeServices([{ name: 'orders', url: subgraph.url, typeDefs: parse(ORDERS_SDL) }]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  // The shop's own orders subgraph has the same name: route to this one, not to ORDERS_URL's default.
  const gateway = await startGateway({ ...config, subgraphUrls: { ...config.subgraphUrls, orders: subgraph.url } }, composed.supergraphSdl);
  return {
    gatewayUrl: gateway.url,
    subgraphUrl: subgraph.url,
    supergraphSdl: composed.supergraphSdl,
    identitySecret,
    auth,
    stop: async () => {
      await gateway.stop();
      await subgraph.stop();
    },
  };
}
