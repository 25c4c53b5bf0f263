import { compare, formatAmount, type Money } from '@shop/platform';
import type { CatalogContext } from '../catalog.context';
import type { ProductView, VariantView } from '../product.model';

/** The GraphQL `Money` shape: a decimal string, never a float. */
export const moneyOut = (money: Money) => ({ amount: formatAmount(money), currency: money.currency });

export const productResolvers = {
  __resolveReference: (reference: { id: string }, ctx: CatalogContext) => ctx.productQueries.productById(ctx, reference.id),
  category: (product: ProductView, _: unknown, ctx: CatalogContext) =>
    product.categoryId ? ctx.productQueries.categoryById(ctx, product.categoryId) : null,
  market: (product: ProductView, _: unknown, ctx: CatalogContext) => ctx.productQueries.marketById(ctx, product.marketId),
  priceFrom: (product: ProductView) => {
    const prices = product.variants.map((variant) => variant.price);
    const currency = prices[0]?.currency;
    const same = prices.filter((price) => price.currency === currency);
    const lowest = same.reduce<Money | null>((low, price) => (low === null || compare(price, low) < 0 ? price : low), null);
    return lowest ? moneyOut(lowest) : null;
  },
};

export const variantResolvers = {
  __resolveReference: (reference: { id: string }, ctx: CatalogContext) => ctx.productQueries.variantById(ctx, reference.id),
  attributes: (variant: VariantView) => Object.entries(variant.attributes).map(([name, value]) => ({ name, value })),
  price: (variant: VariantView) => moneyOut(variant.price),
  product: (variant: VariantView, _: unknown, ctx: CatalogContext) => ctx.productQueries.productById(ctx, variant.productId),
};

export const categoryResolvers = {
  parent: (category: { parentId: string | null }, _: unknown, ctx: CatalogContext) =>
    category.parentId ? ctx.productQueries.categoryById(ctx, category.parentId) : null,
};
