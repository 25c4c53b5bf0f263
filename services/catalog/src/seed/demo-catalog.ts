import { appendToOutbox, createPool, createPrismaClient } from '@shop/platform';
import { PrismaClient } from '../generated/prisma/client';
import { CATALOG_SOURCE, productCreated } from '../events/product.events';
import { slugify } from '../product.input';
import { DEMO_CATEGORIES, DEMO_FAMILIES, type DemoFamily } from './demo-data';

type Axes = DemoFamily['axes'];

/** Every combination of the axes' values, e.g. colour × size; one empty combination without axes. */
function combinations(axes: Axes): Record<string, string>[] {
  return Object.entries(axes).reduce<Record<string, string>[]>(
    (combos, [axis, values]) => combos.flatMap((combo) => values.map((value) => ({ ...combo, [axis]: value }))),
    [{}],
  );
}

function skuFor(slug: string, attributes: Record<string, string>): string {
  const initials = slug.split('-').map((word) => word.slice(0, 3)).join('').toUpperCase().slice(0, 24);
  const suffix = Object.values(attributes).map((value) => value.slice(0, 3).toUpperCase()).join('-');
  return suffix ? `${initials}-${suffix}` : initials;
}

async function seedCategories(db: PrismaClient): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [index, [slug, name, parent]] of DEMO_CATEGORIES.entries()) {
    const parentId = parent ? ids.get(parent) ?? null : null;
    const category = await db.category.upsert({ where: { slug }, update: {}, create: { slug, name, parentId, position: index } });
    ids.set(slug, category.id);
  }
  return ids;
}

async function seedProduct(db: PrismaClient, marketId: string, categoryId: string, family: DemoFamily, name: string, priceCents: number) {
  const slug = slugify(name);
  if (await db.product.findUnique({ where: { slug }, select: { id: true } })) return false;
  await db.$transaction(async (tx) => {
    const product = await tx.product.create({
      data: {
        marketId,
        categoryId,
        slug,
        name,
        description: family.description,
        seoTitle: `${name} | Demo Shop`,
        seoDescription: family.description,
        seoKeywords: [...family.keywords],
        images: { create: [{ url: `https://images.shop.local/${slug}/main.jpg`, alt: name, position: 0 }] },
        variants: {
          create: combinations(family.axes).map((attributes, position) => ({
            sku: skuFor(slug, attributes),
            name: Object.values(attributes).join(' / ') || 'Standard',
            attributes,
            weightGrams: family.weightGrams,
            priceMinor: BigInt(priceCents),
            currency: 'EUR',
            position,
          })),
        },
      },
      select: { id: true, marketId: true, name: true, status: true, variants: { select: { id: true, sku: true, name: true, weightGrams: true, priceMinor: true, currency: true } } },
    });
    await appendToOutbox(tx, CATALOG_SOURCE, [productCreated(product)]);
  });
  return true;
}

/**
 * Seeds the demo catalogue: a house market, nine categories and 54 products with variants and EUR
 * prices. Idempotent: everything is keyed by slug, so a second run adds nothing.
 * @returns how many products it created
 */
export async function seedDemoCatalog(db: PrismaClient): Promise<number> {
  const market = await db.market.upsert({
    where: { slug: 'house' },
    update: {},
    create: { slug: 'house', name: 'Demo Shop', isHouse: true },
  });
  const categories = await seedCategories(db);
  let created = 0;
  for (const family of DEMO_FAMILIES) {
    const categoryId = categories.get(family.category);
    if (!categoryId) throw new Error(`demo data names an unknown category: ${family.category}`);
    for (const [index, name] of family.names.entries()) {
      const priceCents = family.basePriceCents + index * 500;
      if (await seedProduct(db, market.id, categoryId, family, name, priceCents)) created += 1;
    }
  }
  return created;
}

/** What the demo seed left: how many products it added, and every demo variant (for the demo stock). */
export interface DemoCatalog {
  readonly created: number;
  readonly variants: readonly { readonly id: string; readonly sku: string }[];
}

/** Seeds the demo catalogue into the database at `databaseUrl` (embedded start, tests, bench). */
export async function seedDemoCatalogAt(databaseUrl: string): Promise<DemoCatalog> {
  const pool = createPool({ url: databaseUrl, poolSize: 2 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    const created = await seedDemoCatalog(db);
    const variants = await db.variant.findMany({ where: { product: { market: { slug: 'house' } } }, select: { id: true, sku: true }, orderBy: { sku: 'asc' } });
    return { created, variants };
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
