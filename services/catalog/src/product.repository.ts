import { Prisma, type PrismaClient } from './generated/prisma/client';
import type { ProductView, VariantView } from './product.model';

/** The catalog's Prisma client, and the transaction client inside `$transaction`. */
export type CatalogDb = PrismaClient;
export type CatalogTx = Prisma.TransactionClient;

const productWithRelations = {
  variants: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
  images: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.ProductInclude;

type ProductRow = Prisma.ProductGetPayload<{ include: typeof productWithRelations }>;
type VariantRow = ProductRow['variants'][number];

function attributesOf(json: Prisma.JsonValue): Record<string, string> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return {};
  return Object.fromEntries(Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A variant row as the catalog shows it. */
export function toVariantView(row: VariantRow): VariantView {
  return {
    id: row.id,
    productId: row.productId,
    sku: row.sku,
    name: row.name,
    attributes: attributesOf(row.attributes),
    weightGrams: row.weightGrams,
    price: { amountMinor: row.priceMinor, currency: row.currency },
  };
}

function toProductView(row: ProductRow): ProductView {
  return {
    id: row.id,
    marketId: row.marketId,
    categoryId: row.categoryId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    seo: { title: row.seoTitle, description: row.seoDescription, keywords: row.seoKeywords },
    images: row.images.map((image) => ({ url: image.url, alt: image.alt })),
    variants: row.variants.map(toVariantView),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Filters of a product list page. */
export interface PageQuery {
  readonly first: number;
  readonly categoryIds: readonly string[] | null;
}

/** Prisma queries of the catalog; no rules here. */
export class ProductRepository {
  constructor(private readonly db: CatalogDb) {}

  /** Products with variants and images, in one round of queries for any number of ids. */
  async findProducts(ids: readonly string[]): Promise<ProductView[]> {
    const rows = await this.db.product.findMany({ where: { id: { in: [...ids] } }, include: productWithRelations });
    return rows.map(toProductView);
  }

  async findVariants(ids: readonly string[]): Promise<VariantView[]> {
    const rows = await this.db.variant.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toVariantView);
  }

  /** Active products newest first (uuid v7 ids sort by creation), after `afterId`, one extra to tell if more follow. */
  async listActiveIds(query: PageQuery & { afterId: string | null }): Promise<string[]> {
    const rows = await this.db.product.findMany({
      where: {
        status: 'ACTIVE',
        ...(query.categoryIds ? { categoryId: { in: [...query.categoryIds] } } : {}),
        ...(query.afterId ? { id: { lt: query.afterId } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.first + 1,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /**
   * Full-text search (PostgreSQL tsvector with a GIN index; CAT-1), most relevant first. The
   * cursor is the (rank, id) of the last row seen, so pages never overlap or skip.
   */
  async searchActiveIds(query: PageQuery & { text: string; after: { rank: number; id: string } | null }): Promise<{ id: string; rank: number }[]> {
    const category = query.categoryIds ? Prisma.sql`AND p.category_id = ANY(${[...query.categoryIds]}::uuid[])` : Prisma.empty;
    const after = query.after
      ? Prisma.sql`AND (ts_rank(p.search_vector, q.query), p.id) < (${query.after.rank}::real, ${query.after.id}::uuid)`
      : Prisma.empty;
    return this.db.$queryRaw<{ id: string; rank: number }[]>`
      SELECT p.id::text AS id, ts_rank(p.search_vector, q.query) AS rank
      FROM product p, websearch_to_tsquery('english', ${query.text}) AS q(query)
      WHERE p.status = 'ACTIVE' AND p.search_vector @@ q.query ${category} ${after}
      ORDER BY rank DESC, p.id DESC
      LIMIT ${query.first + 1}`;
  }

  async findAllCategories() {
    return this.db.category.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] });
  }

  async findAllMarkets() {
    return this.db.market.findMany({ orderBy: [{ isHouse: 'desc' }, { name: 'asc' }] });
  }

  async findHouseMarket() {
    return this.db.market.findFirst({ where: { isHouse: true } });
  }

  async findMarket(id: string) {
    return this.db.market.findUnique({ where: { id } });
  }

  async findCategory(id: string) {
    return this.db.category.findUnique({ where: { id } });
  }

  /** The product of a variant and its market, to check who may change the price. */
  async findVariantOwner(variantId: string) {
    return this.db.variant.findUnique({ where: { id: variantId }, select: { product: { select: { id: true, status: true, market: true } } } });
  }

  async findProductOwner(productId: string) {
    return this.db.product.findUnique({ where: { id: productId }, select: { id: true, status: true, market: true } });
  }
}
