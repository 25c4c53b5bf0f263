import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { ordersSdl } from '../src';

const sdlOf = (service: string) => readFileSync(path.join(__dirname, `../../${service}/src/schema.graphql`), 'utf8');

test('CART-1, ORD-8: the orders SDL composes (Federation 2) with catalog (Variant) and accounts (Customer.orders)', () => {
  const result = composeServices([
    { name: 'accounts', typeDefs: parse(sdlOf('accounts')), url: 'http://accounts' },
    { name: 'catalog', typeDefs: parse(sdlOf('catalog')), url: 'http://catalog' },
    { name: 'orders', typeDefs: parse(ordersSdl), url: 'http://orders' },
  ]);
  expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
  const supergraph = result.supergraphSdl ?? '';
  expect(supergraph).toMatch(/type Customer[^{]*\{[^}]*orders\(first: Int = 20, after: String\): OrderConnection!/s);
  expect(supergraph).toMatch(/type CartLine[^{]*\{[^}]*variant: Variant!/s);
});
