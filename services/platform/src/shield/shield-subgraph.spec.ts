import { randomBytes } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { BusinessError, defineErrors } from '../errors/business-error';
import { ANONYMOUS, type Identity } from '../identity/identity';
import { logger } from '../logging/logger';
import { allow, isAuthenticated, isOwnerOrStaff, isStaff } from './rules';
import { shieldSubgraph } from './shield-subgraph';

const OUT_OF_STOCK = `SHIELD_OUT_OF_STOCK_${randomBytes(4).toString('hex').toUpperCase()}`;
const Errors = defineErrors({ [OUT_OF_STOCK]: { retryable: false, message: 'Not enough stock.' } });
const thrownBusinessError = Errors.create(OUT_OF_STOCK, { field: 'input.sku', message: 'Only 2 left.' });
const INTERNAL_MESSAGE = 'connection to postgres://shop:hunter2@db failed: SELECT * FROM orders';

interface Order {
  readonly id: string;
  readonly ownerId: string;
  readonly total: number;
}
const orders = new Map<string, Order>([
  ['o1', { id: 'o1', ownerId: 'alice', total: 1999 }],
  ['o2', { id: 'o2', ownerId: 'bob', total: 500 }],
]);

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    products: [Product!]!
    stockReport: String
    order(id: ID!): Order
    unruled: String
    secretThing: SecretThing
    failsWithBusinessError: String
    failsWithInternalError: String
  }
  type Product @key(fields: "id") { id: ID! name: String! }
  type Order @key(fields: "id") { id: ID! ownerId: ID! total: Int! }
  type SecretThing { value: String }
`);

const resolvers = {
  Query: {
    products: () => [{ id: 'p1', name: 'Mug' }],
    stockReport: () => 'stock is fine',
    order: (_parent: unknown, args: { id: string }) => orders.get(args.id) ?? null,
    unruled: () => 'should never be seen',
    secretThing: () => ({ value: 'should never be seen either' }),
    failsWithBusinessError: () => {
      throw thrownBusinessError;
    },
    failsWithInternalError: () => {
      throw new Error(INTERNAL_MESSAGE);
    },
  },
  Order: { __resolveReference: (reference: { id: string }) => orders.get(reference.id) ?? null },
  Product: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, name: 'Mug' }) },
};

const schema: GraphQLSchema = shieldSubgraph(buildSubgraphSchema([{ typeDefs, resolvers }]), {
  Query: {
    products: allow,
    stockReport: isStaff,
    order: isAuthenticated,
    secretThing: allow,
    failsWithBusinessError: allow,
    failsWithInternalError: allow,
  },
  Product: allow,
  Order: isOwnerOrStaff<Order>('Order', (order) => order.ownerId),
});

const alice: Identity = { userId: 'alice', roles: ['CUSTOMER'] };
const bob: Identity = { userId: 'bob', roles: ['CUSTOMER'] };
const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };

function run(source: string, identity: Identity, variableValues?: Record<string, unknown>): Promise<ExecutionResult> {
  return Promise.resolve(graphql({ schema, source, contextValue: { identity }, variableValues }));
}

/** The business code of every error, in order; a non-business error shows as NOT_A_BUSINESS_ERROR. */
function codes(result: ExecutionResult): string[] {
  return (result.errors ?? []).map((error) => (error.originalError instanceof BusinessError ? error.originalError.code : 'NOT_A_BUSINESS_ERROR'));
}

let logError: jest.SpyInstance;
beforeEach(() => {
  logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => logError.mockRestore());

describe('shieldSubgraph', () => {
  test('SEC-3, SEC-4: a Query field without a rule is denied, even to staff (deny by default)', async () => {
    for (const identity of [ANONYMOUS, alice, staff]) {
      const result = await run('{ unruled }', identity);
      expect(result.data).toEqual({ unruled: null });
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
  });

  test('SEC-3: the fields of a type without a rule are denied although the query field is allowed', async () => {
    const result = await run('{ secretThing { value } }', staff);
    expect(JSON.stringify(result.data)).not.toContain('should never be seen');
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });

  test('SEC-3: an allowed field answers', async () => {
    expect(await run('{ products { id name } }', ANONYMOUS)).toEqual({ data: { products: [{ id: 'p1', name: 'Mug' }] } });
  });

  test('SEC-4: isStaff: anonymous gets UNAUTHENTICATED, a customer FORBIDDEN, staff the value', async () => {
    const anonymous = await run('{ stockReport }', ANONYMOUS);
    expect(anonymous.data).toEqual({ stockReport: null });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const customer = await run('{ stockReport }', alice);
    expect(customer.data).toEqual({ stockReport: null });
    expect(codes(customer)).toEqual(['FORBIDDEN']);
    expect(await run('{ stockReport }', staff)).toEqual({ data: { stockReport: 'stock is fine' } });
  });

  test('SEC-3: isOwnerOrStaff: another customer gets NOT_FOUND (not FORBIDDEN); the owner and staff see the order', async () => {
    const query = 'query ($id: ID!) { order(id: $id) { id total } }';
    const intruder = await run(query, bob, { id: 'o1' });
    expect(intruder.data).toEqual({ order: null });
    expect(new Set(codes(intruder))).toEqual(new Set(['NOT_FOUND']));
    expect(JSON.stringify(intruder)).not.toContain('1999');
    expect(await run(query, alice, { id: 'o1' })).toEqual({ data: { order: { id: 'o1', total: 1999 } } });
    expect(await run(query, staff, { id: 'o1' })).toEqual({ data: { order: { id: 'o1', total: 1999 } } });
    expect(codes(await run(query, ANONYMOUS, { id: 'o1' }))).toEqual(['UNAUTHENTICATED']);
  });

  test('PLAT-1: a BusinessError thrown by a resolver passes through unchanged', async () => {
    const result = await run('{ failsWithBusinessError }', alice);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.originalError).toBe(thrownBusinessError);
    expect(result.errors?.[0]?.message).toBe('Only 2 left.');
    expect(logError).not.toHaveBeenCalled();
  });

  test('PLAT-1, SEC-6: a plain Error thrown by a resolver comes out as INTERNAL_SERVER_ERROR without its message, and is logged', async () => {
    const result = await run('{ failsWithInternalError }', alice);
    expect(codes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(result.errors)).not.toContain('hunter2');
    expect(result.errors?.[0]?.message).not.toContain('SELECT');
    expect(logError).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: INTERNAL_MESSAGE }) }), expect.any(String));
  });

  test('SEC-3: _service { sdl } is allowed, also to anonymous callers', async () => {
    const result = await run('{ _service { sdl } }', ANONYMOUS);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ _service: { sdl: expect.stringContaining('type Order') } });
  });

  test('SEC-3: _entities is allowed at the shield, and the entity type\'s rule still guards its fields', async () => {
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id total } } }';
    const representations = [{ __typename: 'Order', id: 'o1' }];
    const intruder = await run(query, bob, { representations });
    expect(JSON.stringify(intruder.data)).not.toContain('1999');
    expect(codes(intruder).length).toBeGreaterThan(0);
    expect(new Set(codes(intruder))).toEqual(new Set(['NOT_FOUND']));
    expect(await run(query, alice, { representations })).toEqual({ data: { _entities: [{ id: 'o1', total: 1999 }] } });
    expect(await run(query, staff, { representations })).toEqual({ data: { _entities: [{ id: 'o1', total: 1999 }] } });
  });

  test('SEC-3: _entities of an allowed type answers to anyone', async () => {
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id name } } }';
    expect(await run(query, ANONYMOUS, { representations: [{ __typename: 'Product', id: 'p9' }] })).toEqual({
      data: { _entities: [{ id: 'p9', name: 'Mug' }] },
    });
  });

  // KNOWN BUG (reported, not fixed here): shield-subgraph.ts always adds a rule for Query._entities,
  // but buildSubgraphSchema only defines _entities when the schema has an @key type, so
  // graphql-shield throws "applied rules to Query._entities fields but Shield cannot find them".
  // Remove `.failing` once mergeRules only adds rules for fields the schema has.
  test('SEC-3: a subgraph without entity types can be shielded and still denies by default', async () => {
    const plain = shieldSubgraph(
      buildSubgraphSchema([{ typeDefs: parse('type Query { hello: String, unruled: String }'), resolvers: { Query: { hello: () => 'hi', unruled: () => 'no' } } }]),
      { Query: { hello: allow } },
    );
    const result = await graphql({ schema: plain, source: '{ hello unruled _service { sdl } }', contextValue: { identity: ANONYMOUS } });
    expect(result.data).toMatchObject({ hello: 'hi', unruled: null, _service: { sdl: expect.any(String) } });
  });
});
