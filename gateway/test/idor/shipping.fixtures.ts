import type { ShopServices } from './catalog.fixtures';
import { eventually } from './orders.fixtures';
import { paidOrder } from './payments.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

const SHIPMENT_STATE = 'query ($orderId: ID!) { shipment(orderId: $orderId) { id status trackingNumber deliveredAt } }';
/** A country no seeded zone covers, so that staff's control calls leave the shop's real rates alone. */
const COUNTRY = 'IS';

interface ShipmentState {
  readonly id: string;
  readonly status: string;
  readonly trackingNumber: string | null;
}

/** Customer A's paid order once the sandbox carrier has booked its parcel (DISPATCHED, with a tracking number). */
async function dispatchedShipment(tools: Tools): Promise<OwnedObject> {
  const order = await paidOrder(tools);
  const shipment = await eventually(`the shipment of A's order ${order.reference} DISPATCHED`, async () => {
    const found = (await tools.gateway({ query: SHIPMENT_STATE, variables: { orderId: order.orderId } })).data?.shipment as ShipmentState | null | undefined;
    return found?.status === 'DISPATCHED' && found.trackingNumber ? { ...found, trackingNumber: found.trackingNumber } : undefined;
  });
  return { ids: { orderId: order.orderId }, secrets: [order.orderId, order.reference, shipment.id, shipment.trackingNumber] };
}

/** A shipping zone staff would have made, with a name only it has. */
async function zoneOf(tools: Tools): Promise<{ zoneId: string; name: string }> {
  const name = `Idor zone ${tools.unique()}`;
  const [row] = await tools.services.shippingSql(
    `INSERT INTO shipping_zone (id, name, countries, postal_prefixes, updated_at) VALUES (gen_random_uuid(), $1, ARRAY[$2]::varchar[], ARRAY[]::varchar[], now()) RETURNING id::text AS id`,
    [name, COUNTRY],
  );
  return { zoneId: String(row?.id), name };
}

/** A shipping method staff would have made, with a code only it has. */
async function methodOf(tools: Tools): Promise<{ methodId: string; code: string }> {
  const code = `IDOR_${tools.unique()}`.toUpperCase();
  const [row] = await tools.services.shippingSql(
    `INSERT INTO shipping_method (id, code, name, currency, active, updated_at) VALUES (gen_random_uuid(), $1, $1, 'EUR', true, now()) RETURNING id::text AS id`,
    [code],
  );
  return { methodId: String(row?.id), code };
}

/** A zone and a method, and the rates between them, as staff see them in the rate table. */
const rateTableOf = async (owned: OwnedObject, tools: Tools) => ({
  zones: await tools.services.shippingSql('SELECT name, countries, postal_prefixes FROM shipping_zone WHERE id = $1::uuid', [owned.ids.zoneId ?? null]),
  methods: await tools.services.shippingSql('SELECT code, name, currency, active FROM shipping_method WHERE id = $1::uuid', [owned.ids.methodId ?? null]),
  rates: await tools.services.shippingSql(
    `SELECT min_weight_grams, max_weight_grams, price_minor::text AS price FROM shipping_rate WHERE method_id = $1::uuid OR zone_id = $2::uuid
     UNION ALL SELECT -1, NULL, min_subtotal_minor::text FROM free_shipping_threshold WHERE method_id = $1::uuid OR zone_id = $2::uuid ORDER BY 1`,
    [owned.ids.methodId ?? null, owned.ids.zoneId ?? null],
  ),
});

/** A staff-only change to the rate table, aimed at a zone or method no one else uses; it must stay as it was. */
function rateWrite(create: (tools: Tools) => Promise<OwnedObject>, query: string, variables: (ids: Ids, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> {
  return { access: 'staff-only', owner: 'CUSTOMER', create, operation: (ids, unique) => ({ query, variables: variables(ids, unique) }), readBack: rateTableOf };
}

const ownZone = async (tools: Tools): Promise<OwnedObject> => {
  const zone = await zoneOf(tools);
  return { ids: { zoneId: zone.zoneId }, secrets: [zone.zoneId, zone.name] };
};

const ownMethod = async (tools: Tools): Promise<OwnedObject> => {
  const method = await methodOf(tools);
  return { ids: { methodId: method.methodId }, secrets: [method.methodId, method.code] };
};

const zoneAndMethod = async (tools: Tools): Promise<OwnedObject> => {
  const [zone, method] = [await zoneOf(tools), await methodOf(tools)];
  return { ids: { zoneId: zone.zoneId, methodId: method.methodId }, secrets: [zone.zoneId, zone.name, method.methodId, method.code] };
};

/**
 * Shipping. A shipment is visible to its order's customer and staff only: anyone else gets null,
 * exactly as for an order without one. The rate table and the sandbox carrier are staff's.
 */
export const shippingFixtures: FixtureRegistry<ShopServices> = {
  'Query.shipment': {
    access: 'private',
    owner: 'CUSTOMER',
    create: dispatchedShipment,
    operation: (ids) => ({ query: SHIPMENT_STATE, variables: { orderId: ids.orderId } }),
  },
  'Mutation.advanceShipment': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: dispatchedShipment,
    operation: (ids) => ({ query: 'mutation ($orderId: ID!) { advanceShipment(orderId: $orderId) { id status } }', variables: { orderId: ids.orderId } }),
    readBack: async (owned, tools) => (await tools.gateway({ query: SHIPMENT_STATE, variables: { orderId: owned.ids.orderId } })).data,
  },
  'Mutation.upsertShippingZone': rateWrite(
    ownZone,
    'mutation ($input: ShippingZoneInput!) { upsertShippingZone(input: $input) { revision } }',
    (ids, unique) => ({ input: { id: ids.zoneId, name: `Intruder zone ${unique}`, countries: [COUNTRY] } }),
  ),
  'Mutation.deleteShippingZone': rateWrite(ownZone, 'mutation ($id: ID!) { deleteShippingZone(id: $id) { revision } }', (ids) => ({ id: ids.zoneId })),
  'Mutation.upsertShippingMethod': rateWrite(
    ownMethod,
    'mutation ($input: ShippingMethodInput!) { upsertShippingMethod(input: $input) { revision } }',
    (ids, unique) => ({ input: { id: ids.methodId, code: `INTRUDER_${unique}`.toUpperCase(), name: 'Intruder', currency: 'EUR', active: false } }),
  ),
  'Mutation.setShippingRates': rateWrite(
    zoneAndMethod,
    'mutation ($methodId: ID!, $zoneId: ID!, $bands: [WeightBandInput!]!) { setShippingRates(methodId: $methodId, zoneId: $zoneId, bands: $bands) { revision } }',
    (ids) => ({ methodId: ids.methodId, zoneId: ids.zoneId, bands: [{ price: { amount: '0.01', currency: 'EUR' } }] }),
  ),
};
