import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { promotionsSdl } from '../src';

const sdlOf = (service: string) => readFileSync(path.join(__dirname, `../../${service}/src/schema.graphql`), 'utf8');

test('PROMO-1: the promotions SDL composes (Federation 2) with every existing subgraph (shared Money and MoneyInput)', () => {
  const result = composeServices([
    ...['accounts', 'catalog', 'inventory', 'orders'].map((name) => ({ name, typeDefs: parse(sdlOf(name)), url: `http://${name}` })),
    { name: 'promotions', typeDefs: parse(promotionsSdl), url: 'http://promotions' },
  ]);
  expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
  expect(result.supergraphSdl ?? '').toMatch(/createCoupon\(input: CreateCouponInput!\): Coupon!/);
});
