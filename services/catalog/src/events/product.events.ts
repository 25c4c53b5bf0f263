import { formatAmount, type DomainEvent, type Money } from '@shop/platform';

/** The catalog's topic source name in every envelope. */
export const CATALOG_SOURCE = 'catalog';

const price = (money: Money) => ({ amount: formatAmount(money), amountMinor: money.amountMinor.toString(), currency: money.currency });

/** A product was created with these variants and prices (orders keeps its catalog copy from it). */
export function productCreated(productId: string, variants: readonly { id: string; sku: string; price: Money }[]): DomainEvent {
  return {
    type: 'ProductCreated',
    version: 1,
    aggregateId: productId,
    payload: { productId, variants: variants.map((v) => ({ variantId: v.id, sku: v.sku, price: price(v.price) })) },
  };
}

/** Descriptive fields changed; `changedFields` names them. */
export function productUpdated(productId: string, changedFields: readonly string[]): DomainEvent {
  return { type: 'ProductUpdated', version: 1, aggregateId: productId, payload: { productId, changedFields } };
}

/** The product is off sale. */
export function productArchived(productId: string): DomainEvent {
  return { type: 'ProductArchived', version: 1, aggregateId: productId, payload: { productId } };
}

/** A variant's price changed: checkout must use the new one (CART-3). */
export function variantPriceChanged(productId: string, variantId: string, sku: string, previous: Money, current: Money): DomainEvent {
  return {
    type: 'VariantPriceChanged',
    version: 1,
    aggregateId: productId,
    payload: { productId, variantId, sku, previousPrice: price(previous), price: price(current) },
  };
}
