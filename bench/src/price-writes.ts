import { expectData, postGraphQL } from './graphql-client';
import { productsQuery, SET_VARIANT_PRICE_MUTATION } from './queries';

/** A variant the bench re-prices. */
export interface PricedVariant {
  readonly id: string;
  readonly currency: string;
}

/** One price write that committed: the variant and the new price, in whole major units. */
export interface CommittedWrite {
  readonly variantId: string;
  readonly amount: number;
}

/** What the writes did. */
export interface PriceWriteResults {
  readonly attempted: number;
  readonly committed: readonly CommittedWrite[];
  /** The first few failures (GraphQL errors or HTTP status), for the report. */
  readonly failures: readonly string[];
  readonly failed: number;
  readonly seconds: number;
}

/** First price the bench sets: far from the demo prices, so every write changes its variant's price. */
const FIRST_AMOUNT = 7000;
const KEPT_FAILURES = 5;

/** The key a write and its event share: variant id and new price. */
export function writeKey(variantId: string, amount: number): string {
  return `${variantId}|${amount}`;
}

/** The variants of the first 20 products, through the gateway. */
export async function listVariants(gatewayUrl: string): Promise<PricedVariant[]> {
  const data = expectData(await postGraphQL(gatewayUrl, productsQuery(20)), 'products(first: 20)');
  const products = data.products as { edges?: { node?: { variants?: { id?: unknown; price?: { currency?: unknown } }[] } }[] } | undefined;
  const variants = (products?.edges ?? []).flatMap((edge) => edge.node?.variants ?? []);
  const priced = variants.flatMap((v) => (typeof v.id === 'string' && typeof v.price?.currency === 'string' ? [{ id: v.id, currency: v.price.currency }] : []));
  if (priced.length === 0) throw new Error('products(first: 20) returned no variants to re-price');
  return priced;
}

/**
 * `count` `setVariantPrice` mutations through the gateway as staff, `concurrency` at a time, round
 * robin over `variants`; write i sets the price to 7000 + i whole units, so each write's event is
 * recognisable by variant and price. A write counts as committed when it answered 200 without errors.
 */
export async function writePrices(gatewayUrl: string, token: string, variants: readonly PricedVariant[], count: number, concurrency: number): Promise<PriceWriteResults> {
  const started = performance.now();
  const committed: CommittedWrite[] = [];
  const failures: string[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const variant = variants[index % variants.length];
      if (!variant) throw new Error('no variant to write');
      const amount = FIRST_AMOUNT + index;
      const variables = { variantId: variant.id, price: { amount: String(amount), currency: variant.currency } };
      try {
        const answer = await postGraphQL(gatewayUrl, SET_VARIANT_PRICE_MUTATION, variables, { authorization: `Bearer ${token}` });
        expectData(answer, `setVariantPrice #${index}`);
        committed.push({ variantId: variant.id, amount });
      } catch (error) {
        failed += 1;
        if (failures.length < KEPT_FAILURES) failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { attempted: count, committed, failures, failed, seconds: (performance.now() - started) / 1000 };
}
