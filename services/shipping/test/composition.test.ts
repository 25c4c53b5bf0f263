import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { shippingSdl } from '../src';

const sdlOf = (service: string) => readFileSync(path.join(__dirname, `../../${service}/src/schema.graphql`), 'utf8');

test('SHIP-1, SHIP-2: the shipping SDL composes (Federation 2) with catalog, accounts, inventory and orders (whose shippingQuotes it complements)', () => {
  const result = composeServices([
    ...['accounts', 'catalog', 'inventory', 'orders'].map((name) => ({ name, typeDefs: parse(sdlOf(name)), url: `http://${name}` })),
    { name: 'shipping', typeDefs: parse(shippingSdl), url: 'http://shipping' },
  ]);
  expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
  const supergraph = result.supergraphSdl ?? '';
  expect(supergraph).toMatch(/shipment\(orderId: ID!\): Shipment/);
  expect(supergraph).toMatch(/shippingQuotes\(address: AddressInput!, cartId: ID\): \[ShippingQuote!\]!/);
});
