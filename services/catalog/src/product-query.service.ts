import { badUserInput, byKeys, type RequestContext, type VersionedCache } from '@shop/platform';
import { decodeCursor, encodeCursor } from './product-cursor';
import { entityId } from './product.input';
import type { ProductPage, ProductView, VariantView } from './product.model';
import type { ProductRepository } from './product.repository';

const MAX_PAGE = 100;

/** Arguments of `products`. */
export interface ProductListArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly search?: string | null;
  readonly categoryId?: string | null;
}

type Category = Awaited<ReturnType<ProductRepository['findAllCategories']>>[number];
type Market = Awaited<ReturnType<ProductRepository['findAllMarkets']>>[number];

/** The caches of catalog reads; one namespace, so any write invalidates all of them at once. */
export interface CatalogCaches {
  readonly products: VersionedCache<ProductView>;
  readonly pages: VersionedCache<ProductPage>;
  readonly categories: VersionedCache<Category[]>;
  readonly markets: VersionedCache<Market[]>;
}

/** Catalog reads: lists, search, lookups by id; cached (CAT-2) and batched (CAT-3). */
export class ProductQueryService {
  constructor(
    private readonly products: ProductRepository,
    private readonly caches: CatalogCaches,
  ) {}

  /** One page of active products, as a Relay connection. */
  async listProducts(ctx: RequestContext, args: ProductListArgs) {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badUserInput('first', `first: must be between 1 and ${MAX_PAGE}`);
    const search = args.search?.trim() || null;
    const categoryIds = args.categoryId ? await this.categoryWithDescendants(ctx, args.categoryId) : null;
    const key = `page:${JSON.stringify([first, args.after ?? null, search, categoryIds])}`;
    const page = await this.caches.pages.get(key, () => this.loadPage(first, args.after ?? null, search, categoryIds));
    const products = await this.productsByIds(ctx, page?.ids ?? []);
    return {
      edges: products.flatMap((node, i) => (node ? [{ cursor: page?.cursors[i] ?? '', node }] : [])),
      pageInfo: { hasNextPage: page?.hasNextPage ?? false, endCursor: page?.cursors.at(-1) ?? null },
    };
  }

  private async loadPage(first: number, after: string | null, search: string | null, categoryIds: string[] | null): Promise<ProductPage> {
    if (search) {
      const cursor = after ? decodeCursor(after, 'search') : null;
      const rows = await this.products.searchActiveIds({ text: search, first, categoryIds, after: cursor?.kind === 'search' ? cursor : null });
      const shown = rows.slice(0, first);
      return { ids: shown.map((r) => r.id), cursors: shown.map((r) => encodeCursor({ kind: 'search', ...r })), hasNextPage: rows.length > first };
    }
    const cursor = after ? decodeCursor(after, 'list') : null;
    const ids = await this.products.listActiveIds({ first, categoryIds, afterId: cursor?.id ?? null });
    const shown = ids.slice(0, first);
    return { ids: shown, cursors: shown.map((id) => encodeCursor({ kind: 'list', id })), hasNextPage: ids.length > first };
  }

  /** A product by id, archived ones included; null when there is none. */
  async productById(ctx: RequestContext, id: string): Promise<ProductView | null> {
    if (!entityId.safeParse(id).success) return null;
    return this.productLoader(ctx).load(id);
  }

  private productsByIds(ctx: RequestContext, ids: readonly string[]): Promise<(ProductView | null)[]> {
    return Promise.all(ids.map((id) => this.productLoader(ctx).load(id)));
  }

  private productLoader(ctx: RequestContext) {
    return ctx.loaders.get<string, ProductView | null>('catalog.productById', async (ids) => {
      const found = await this.caches.products.getMany(
        ids.map((id) => `product:${id}`),
        async (missingKeys) => {
          const rows = await this.products.findProducts(missingKeys.map((key) => key.slice('product:'.length)));
          return new Map(rows.map((row) => [`product:${row.id}`, row]));
        },
      );
      return found.map((product) => product ?? null);
    });
  }

  /** A variant by id (federation references from other subgraphs), batched. */
  async variantById(ctx: RequestContext, id: string): Promise<VariantView | null> {
    if (!entityId.safeParse(id).success) return null;
    const loader = ctx.loaders.get<string, VariantView | null>('catalog.variantById', async (ids) =>
      byKeys(ids, await this.products.findVariants(ids), (variant) => variant.id),
    );
    return loader.load(id);
  }

  /** Every category: one cache read per request however many products ask for theirs. */
  async categories(ctx: RequestContext): Promise<Category[]> {
    return ctx.loaders.once('catalog.categories', async () => (await this.caches.categories.get('categories', () => this.products.findAllCategories())) ?? []);
  }

  async categoryById(ctx: RequestContext, id: string): Promise<Category | null> {
    return (await this.categories(ctx)).find((category) => category.id === id) ?? null;
  }

  /** Every market, read once per request like the categories. */
  async markets(ctx: RequestContext): Promise<Market[]> {
    return ctx.loaders.once('catalog.markets', async () => (await this.caches.markets.get('markets', () => this.products.findAllMarkets())) ?? []);
  }

  async marketById(ctx: RequestContext, id: string): Promise<Market | null> {
    return (await this.markets(ctx)).find((market) => market.id === id) ?? null;
  }

  /** A category and every category below it, so a filter on "Clothing" includes "Sweaters". */
  private async categoryWithDescendants(ctx: RequestContext, categoryId: string): Promise<string[]> {
    if (!entityId.safeParse(categoryId).success) throw badUserInput('categoryId', 'categoryId: is not a category id');
    const all = await this.categories(ctx);
    const result = [categoryId];
    for (let i = 0; i < result.length; i += 1) {
      for (const child of all) if (child.parentId === result[i]) result.push(child.id);
    }
    return result;
  }
}
