import type { FieldFixture, FixtureRegistry, FixtureTools, OwnedObject } from './registry';

type Tools = FixtureTools<unknown>;

const PLACE = 'mutation ($note: String!) { placeOrder(note: $note) { id note invoice { id } } }';

/** Customer A places an order through the gateway. */
async function placedOrder(tools: Tools): Promise<{ id: string; note: string; invoiceId: string }> {
  const note = `order of A ${tools.unique()}`;
  const answer = await tools.gateway({ query: PLACE, variables: { note } });
  const order = answer.data?.placeOrder as { id: string; invoice: { id: string } } | undefined;
  if (!order) throw new Error(`customer A could not place an order: ${answer.text}`);
  return { id: order.id, note, invoiceId: order.invoice.id };
}

const orderOf = async (tools: Tools): Promise<OwnedObject> => {
  const order = await placedOrder(tools);
  return { ids: { id: order.id }, secrets: [order.id, order.note] };
};

const orderState = async (owned: OwnedObject, tools: Tools) =>
  (await tools.gateway({ query: 'query ($id: ID!) { order(id: $id) { note voided } }', variables: { id: owned.ids.id } })).data;

function read(field: string): FieldFixture<unknown> {
  return {
    access: 'private',
    owner: 'CUSTOMER',
    create: orderOf,
    operation: (ids) => ({ query: `query ($id: ID!) { ${field}(id: $id) { id note } }`, variables: { id: ids.id } }),
  };
}

function rename(field: string): FieldFixture<unknown> {
  return {
    access: 'private',
    owner: 'CUSTOMER',
    create: orderOf,
    operation: (ids, unique) => ({ query: `mutation ($id: ID!, $note: String!) { ${field}(id: $id, note: $note) { id note } }`, variables: { id: ids.id, note: `intruder ${unique}` } }),
    readBack: orderState,
  };
}

/**
 * Fixtures for the meta-test's subgraph, written as for a real one: the matrix must find the
 * unguarded fields by itself. `Query.orders` is left out on purpose (discovery must flag it), and
 * `Query.cancelledOrder` names a field the schema does not have (coverage must call it stale).
 */
export const metaOrdersFixtures: FixtureRegistry<unknown> = {
  'Query.order': read('order'),
  'Query.leakyOrder': read('leakyOrder'),
  'Query.cancelledOrder': read('cancelledOrder'),
  'Mutation.renameOrder': rename('renameOrder'),
  'Mutation.leakyRenameOrder': rename('leakyRenameOrder'),
  'Mutation.voidOrder': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: orderOf,
    operation: (ids) => ({ query: 'mutation ($id: ID!) { voidOrder(id: $id) { id voided } }', variables: { id: ids.id } }),
    readBack: orderState,
  },
  'Entity.Order': { access: 'private', owner: 'CUSTOMER', create: orderOf, selection: 'id note' },
  'Entity.Invoice': {
    access: 'private',
    owner: 'CUSTOMER',
    create: async (tools) => {
      const order = await placedOrder(tools);
      return { ids: { id: order.invoiceId }, secrets: [order.invoiceId] };
    },
    selection: 'id amount',
  },
};
