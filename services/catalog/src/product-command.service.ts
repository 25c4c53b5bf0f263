import { randomBytes } from 'node:crypto';
import {
  appendToOutbox,
  badUserInput,
  CommonErrors,
  hasRole,
  notFound,
  parseInput,
  parseMoney,
  type Logger,
  type Money,
  type RequestContext,
} from '@shop/platform';
import { CatalogErrors } from './errors';
import { CATALOG_SOURCE, productArchived, productCreated, productUpdated, variantPriceChanged } from './events/product.events';
import { createProductInput, entityId, slugify, updateProductInput } from './product.input';
import type { ProductView, VariantView } from './product.model';
import type { CatalogDb, ProductRepository } from './product.repository';
import { productWrites } from './product-write.repository';

type MarketRow = NonNullable<Awaited<ReturnType<ProductRepository['findMarket']>>>;

/**
 * Catalog changes by staff, the seller owning the market or the market's partner key; each commits
 * with its outbox events.
 */
export class ProductCommandService {
  constructor(
    private readonly db: CatalogDb,
    private readonly products: ProductRepository,
    private readonly invalidateCache: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  async createProduct(ctx: RequestContext, rawInput: unknown): Promise<ProductView> {
    const input = parseInput(createProductInput, rawInput, 'input');
    const market = await this.marketForNewProduct(ctx, input.marketId ?? null);
    const variants = input.variants.map((variant, i) => ({ ...variant, price: parseMoney(variant.price.amount, variant.price.currency, `input.variants.${i}.price`) }));
    await this.assertCategoryExists(input.categoryId ?? null, 'input.categoryId');
    await this.assertSkusFree(variants.map((v) => v.sku));
    const slug = await this.freeSlug(input.slug ?? null, input.name);
    const created = await this.db.$transaction(async (tx) => {
      const product = await productWrites.create(tx, { ...input, slug, marketId: market.id, variants });
      await appendToOutbox(tx, CATALOG_SOURCE, [productCreated(await productWrites.sellable(tx, product.id))]);
      return product;
    });
    return this.afterWrite(created.id);
  }

  async updateProduct(ctx: RequestContext, id: string, rawInput: unknown): Promise<ProductView> {
    const input = parseInput(updateProductInput, rawInput, 'input');
    const product = await this.productToManage(ctx, id);
    await this.assertCategoryExists(input.categoryId ?? null, 'input.categoryId');
    if (input.slug) await this.assertSlugFree(input.slug, product.id);
    const changedFields = Object.entries(input).filter(([, value]) => value != null).map(([field]) => field);
    await this.db.$transaction(async (tx) => {
      await productWrites.update(tx, product.id, input);
      await appendToOutbox(tx, CATALOG_SOURCE, [productUpdated(await productWrites.sellable(tx, product.id), changedFields)]);
    });
    return this.afterWrite(product.id);
  }

  async archiveProduct(ctx: RequestContext, id: string): Promise<ProductView> {
    const product = await this.productToManage(ctx, id, { allowArchived: true });
    if (product.status !== 'ARCHIVED') {
      await this.db.$transaction(async (tx) => {
        await productWrites.archive(tx, product.id);
        await appendToOutbox(tx, CATALOG_SOURCE, [productArchived(product.id)]);
      });
    }
    return this.afterWrite(product.id);
  }

  async setVariantPrice(ctx: RequestContext, variantId: string, rawPrice: { amount: string; currency: string }): Promise<VariantView> {
    const price: Money = parseMoney(rawPrice.amount, rawPrice.currency, 'price');
    if (price.amountMinor < 0n) throw badUserInput('price', 'price: must not be negative');
    const owner = entityId.safeParse(variantId).success ? await this.products.findVariantOwner(variantId) : null;
    if (!owner) throw notFound('No variant with this id.');
    this.assertMayManage(ctx, owner.product.market);
    if (owner.product.status === 'ARCHIVED') throw CatalogErrors.create('PRODUCT_ARCHIVED');
    await this.db.$transaction(async (tx) => {
      const changed = await productWrites.setVariantPrice(tx, variantId, price);
      await appendToOutbox(tx, CATALOG_SOURCE, [variantPriceChanged(changed.productId, changed.id, changed.sku, changed.previous, price)]);
    });
    const product = await this.afterWrite(owner.product.id);
    const variant = product.variants.find((v) => v.id === variantId);
    if (!variant) throw notFound('No variant with this id.');
    return variant;
  }

  /**
   * Staff manage every market; a seller only the markets they own (CAT-6, SEC-4); a MARKET-scoped
   * partner key only the market it names (issue 9).
   */
  private assertMayManage(ctx: RequestContext, market: MarketRow): void {
    const { identity } = ctx;
    if (hasRole(identity, 'STAFF')) return;
    if (hasRole(identity, 'SELLER') && market.ownerUserId !== null && market.ownerUserId === identity.userId) return;
    if (identity.partnerMarketId === market.id) return;
    throw CommonErrors.create('FORBIDDEN', { message: 'Only staff, the seller owning this market or its partner key may change its products.' });
  }

  private async marketForNewProduct(ctx: RequestContext, marketId: string | null): Promise<MarketRow> {
    const market = marketId ? await this.products.findMarket(marketId) : await this.products.findHouseMarket();
    if (!market) throw badUserInput('input.marketId', 'input.marketId: no such market');
    this.assertMayManage(ctx, market);
    return market;
  }

  private async productToManage(ctx: RequestContext, id: string, options: { allowArchived?: boolean } = {}) {
    const product = entityId.safeParse(id).success ? await this.products.findProductOwner(id) : null;
    if (!product) throw notFound('No product with this id.');
    this.assertMayManage(ctx, product.market);
    if (product.status === 'ARCHIVED' && !options.allowArchived) throw CatalogErrors.create('PRODUCT_ARCHIVED');
    return product;
  }

  private async assertCategoryExists(categoryId: string | null, field: string): Promise<void> {
    if (categoryId && !(await this.products.findCategory(categoryId))) throw badUserInput(field, `${field}: no such category`);
  }

  private async assertSkusFree(skus: readonly string[]): Promise<void> {
    const taken = await this.db.variant.findMany({ where: { sku: { in: [...skus] } }, select: { sku: true } });
    const first = taken[0];
    if (first) throw badUserInput(`input.variants.${skus.indexOf(first.sku)}.sku`, `SKU ${first.sku} is already in use`);
  }

  private async assertSlugFree(slug: string, exceptProductId: string | null): Promise<void> {
    const existing = await this.db.product.findUnique({ where: { slug }, select: { id: true } });
    if (existing && existing.id !== exceptProductId) throw badUserInput('input.slug', `input.slug: ${slug} is already in use`);
  }

  /** The client's slug must be free; a slug made from the name gets a suffix when taken. */
  private async freeSlug(requested: string | null, name: string): Promise<string> {
    if (requested) {
      await this.assertSlugFree(requested, null);
      return requested;
    }
    const base = slugify(name);
    const taken = await this.db.product.findUnique({ where: { slug: base }, select: { id: true } });
    return taken ? `${base}-${randomBytes(3).toString('hex')}` : base;
  }

  /** After commit: invalidate the cache, then answer with what the database now holds. */
  private async afterWrite(productId: string): Promise<ProductView> {
    await this.invalidateCache().catch((error: unknown) => this.log.error({ err: error, productId }, 'cache invalidation failed'));
    const [product] = await this.products.findProducts([productId]);
    if (!product) throw notFound('No product with this id.');
    return product;
  }
}
