import type { ShopServices } from './catalog.fixtures';
import { placedOrder } from './orders.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

const ADD_ADDRESS = `mutation ($input: AddressInput!) { addAddress(input: $input) { id } }`;
const address = (name: string) => ({ name, line1: 'Idor Street 1', city: 'Berlin', postalCode: '10117', country: 'DE' });

/** Customer A's address, added through the gateway; its name is only A's. */
async function ownAddress(tools: Tools): Promise<OwnedObject> {
  const name = `Idor Resident ${tools.unique()}`;
  const added = await tools.gateway({ query: ADD_ADDRESS, variables: { input: address(name) } });
  const id = (added.data?.addAddress as { id: string } | undefined)?.id;
  if (!id) throw new Error(`customer A could not add an address: ${added.text}`);
  return { ids: { id }, secrets: [id, name] };
}

/** A's account itself: its id, and its email (a value no one else's answer can hold). */
async function ownAccount(tools: Tools): Promise<OwnedObject> {
  const me = await tools.gateway({ query: '{ me { id email } }', variables: {} });
  const account = me.data?.me as { id: string; email: string } | undefined;
  if (!account) throw new Error(`customer A has no account: ${me.text}`);
  return { ids: { id: account.id, customerId: account.id }, secrets: [account.email] };
}

/** A's account with an order placed through the gateway, so that orders' Customer.orders has something to leak. */
async function accountWithOrder(tools: Tools): Promise<OwnedObject> {
  const account = await ownAccount(tools);
  const order = await placedOrder(tools);
  return { ids: account.ids, secrets: [...account.secrets, order.id, order.reference] };
}

/** A's addresses as A sees them. */
const addressesOf = async (_owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: '{ me { addresses { id name line1 city isDefault } } }', variables: {} })).data;

/** A's roles and profile, read as A. */
const accountOf = async (_owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: '{ me { id email name roles } }', variables: {} })).data;

function addressWrite(query: string, variables: (id: string, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> {
  return {
    access: 'private',
    owner: 'CUSTOMER',
    create: ownAddress,
    operation: (ids, unique) => ({ query, variables: variables(ids.id ?? '', unique) }),
    readBack: addressesOf,
  };
}

function roleChange(name: 'grantRole' | 'revokeRole', role: string): FieldFixture<ShopServices> {
  return {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: ownAccount,
    operation: (ids) => ({ query: `mutation ($id: ID!, $role: Role!) { ${name}(customerId: $id, role: $role) { id roles } }`, variables: { id: ids.customerId, role } }),
    readBack: accountOf,
  };
}

/** A live partner key, as staff would have created it (customer A has no part in it). */
async function partnerKey(tools: Tools): Promise<OwnedObject> {
  const partner = `idor-partner-${tools.unique()}`.toLowerCase();
  const [row] = await tools.services.accountsSql(
    `INSERT INTO partner_key (id, partner, key_hash, key_prefix, scope, created_by)
     VALUES (gen_random_uuid(), $1, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'pk_idor', 'READ_ONLY', 'idor-staff') RETURNING id::text AS id`,
    [partner],
  );
  return { ids: { id: String(row?.id) }, secrets: [partner] };
}

/** A market id for a MARKET-scoped key; accounts keeps it as given (the market lives in catalog). */
async function partnerMarket(tools: Tools): Promise<OwnedObject> {
  const [row] = await tools.services.accountsSql('SELECT gen_random_uuid()::text AS id');
  return { ids: { marketId: String(row?.id) }, secrets: [] };
}

const partnerKeyOf = async (owned: OwnedObject, tools: Tools) =>
  tools.services.accountsSql('SELECT partner, revoked_at FROM partner_key WHERE id = $1 OR market_id = $2 ORDER BY id', [owned.ids.id ?? null, owned.ids.marketId ?? null]);

/**
 * Accounts. A customer, their addresses and (on orders) their orders are private: another customer
 * (and a guest) must find them exactly as missing. Reading any account by id, changing roles and
 * partner keys are staff-only.
 */
export const accountsFixtures: FixtureRegistry<ShopServices> = {
  'Query.customer': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: ownAccount,
    operation: (ids) => ({ query: 'query ($id: ID!) { customer(id: $id) { id email } }', variables: { id: ids.id } }),
  },
  'Mutation.updateAddress': addressWrite(
    'mutation ($id: ID!, $input: AddressInput!) { updateAddress(id: $id, input: $input) { id name } }',
    (id, unique) => ({ id, input: address(`Intruder ${unique}`) }),
  ),
  'Mutation.deleteAddress': addressWrite('mutation ($id: ID!) { deleteAddress(id: $id) }', (id) => ({ id })),
  'Mutation.grantRole': roleChange('grantRole', 'STAFF'),
  'Mutation.revokeRole': roleChange('revokeRole', 'SELLER'),
  'Mutation.createPartnerKey': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: partnerMarket,
    operation: (ids, unique) => ({
      query: 'mutation ($input: CreatePartnerKeyInput!) { createPartnerKey(input: $input) { partnerKey { id } } }',
      variables: { input: { partner: `idor-${unique}`.toLowerCase(), scope: 'MARKET', marketId: ids.marketId } },
    }),
    readBack: partnerKeyOf,
  },
  'Mutation.revokePartnerKey': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: partnerKey,
    operation: (ids) => ({ query: 'mutation ($id: ID!) { revokePartnerKey(id: $id) { id revokedAt } }', variables: { id: ids.id } }),
    readBack: partnerKeyOf,
  },
  'Entity.Customer': {
    access: 'private',
    owner: 'CUSTOMER',
    create: accountWithOrder,
    selection: { accounts: 'id email name addresses { id }', orders: 'id orders(first: 5) { edges { node { id reference } } }' },
  },
};
