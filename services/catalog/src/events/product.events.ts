import { formatAmount, type DomainEvent, type Money } from '@shop/platform';

/** The catalog's topic source name in every envelope. */
export const CATALOG_SOURCE = 'catalog';

const price = (money: Money) => ({ amount: formatAmount(money), amountMinor: money.amountMinor.toString(), currency: money.currency });

/** What orders and inventory copy of a product: everything a sale needs, nothing descriptive. */
export interface SellableProduct {
  readonly id: string;
  readonly marketId: string;
  readonly name: string;
  readonly status: 'ACTIVE' | 'ARCHIVED';
  readonly variants: readonly { id: string; sku: string; name: string; weightGrams: number; priceMinor: bigint; currency: string }[];
}

function sellable(product: SellableProduct) {
  return {
    productId: product.id,
    marketId: product.marketId,
    name: product.name,
    status: product.status,
    variants: product.variants.map((v) => ({
      variantId: v.id,
      sku: v.sku,
      name: v.name,
      weightGrams: v.weightGrams,
      price: price({ amountMinor: v.priceMinor, currency: v.currency }),
    })),
  };
}

/** A product was created; carries its whole sellable state, so consumers keep their copies from events alone. */
export function productCreated(product: SellableProduct): DomainEvent {
  return { type: 'ProductCreated', version: 2, aggregateId: product.id, payload: sellable(product) };
}

/** A product changed; `changedFields` names what, and the payload holds its sellable state afterwards. */
export function productUpdated(product: SellableProduct, changedFields: readonly string[]): DomainEvent {
  return { type: 'ProductUpdated', version: 2, aggregateId: product.id, payload: { ...sellable(product), changedFields } };
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
