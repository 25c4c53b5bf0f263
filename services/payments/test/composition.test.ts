import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { paymentsSdl } from '../src';

const sdlOf = (service: string) => readFileSync(path.join(__dirname, `../../${service}/src/schema.graphql`), 'utf8');

test('PAY-1: the payments SDL composes (Federation 2) with accounts, catalog, inventory and orders, with CONTRACT payOrder and refundPayment', () => {
  const result = composeServices([
    ...['accounts', 'catalog', 'inventory', 'orders'].map((name) => ({ name, typeDefs: parse(sdlOf(name)), url: `http://${name}` })),
    { name: 'payments', typeDefs: parse(paymentsSdl), url: 'http://payments' },
  ]);
  expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
  const supergraph = result.supergraphSdl ?? '';
  expect(supergraph).toContain('payOrder(orderId: ID!, idempotencyKey: String!, method: PaymentMethod = SANDBOX): Payment!');
  expect(supergraph).toMatch(/refundPayment\(paymentId: ID!, amount: MoneyInput, reason: String!/);
});
