import type { Money } from '@shop/platform';
import type { Prisma } from './generated/prisma/client';
import type { SellableProduct } from './events/product.events';
import type { CatalogTx } from './product.repository';
import type { CreateProductInput, UpdateProductInput } from './product.input';

type NewVariant = Omit<CreateProductInput['variants'][number], 'price'> & { price: Money };

function attributesJson(list: readonly { name: string; value: string }[] | null | undefined): Prisma.InputJsonObject {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.name, attribute.value]));
}

function imagesData(images: CreateProductInput['images']) {
  return (images ?? []).map((image, position) => ({ url: image.url, alt: image.alt ?? '', position }));
}

/** Catalog writes; always inside the caller's transaction, next to the outbox append. */
export const productWrites = {
  async create(tx: CatalogTx, input: Omit<CreateProductInput, 'variants'> & { slug: string; marketId: string; variants: NewVariant[] }) {
    return tx.product.create({
      data: {
        marketId: input.marketId,
        categoryId: input.categoryId ?? null,
        slug: input.slug,
        name: input.name,
        description: input.description ?? '',
        seoTitle: input.seo?.title ?? null,
        seoDescription: input.seo?.description ?? null,
        seoKeywords: input.seo?.keywords ?? [],
        images: { create: imagesData(input.images) },
        variants: {
          create: input.variants.map((variant, position) => ({
            sku: variant.sku,
            name: variant.name,
            attributes: attributesJson(variant.attributes),
            weightGrams: variant.weightGrams ?? 0,
            priceMinor: variant.price.amountMinor,
            currency: variant.price.currency,
            position,
          })),
        },
      },
      select: { id: true },
    });
  },

  /** The product as its events carry it (read inside the writing transaction). */
  async sellable(tx: CatalogTx, id: string): Promise<SellableProduct> {
    return tx.product.findUniqueOrThrow({
      where: { id },
      select: {
        id: true,
        marketId: true,
        name: true,
        status: true,
        variants: { select: { id: true, sku: true, name: true, weightGrams: true, priceMinor: true, currency: true }, orderBy: { position: 'asc' } },
      },
    });
  },

  async update(tx: CatalogTx, id: string, input: UpdateProductInput) {
    if (input.images) {
      await tx.productImage.deleteMany({ where: { productId: id } });
      await tx.productImage.createMany({ data: imagesData(input.images).map((image) => ({ ...image, productId: id })) });
    }
    return tx.product.update({
      where: { id },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(input.slug ? { slug: input.slug } : {}),
        ...(input.description != null ? { description: input.description } : {}),
        ...(input.categoryId ? { categoryId: input.categoryId } : {}),
        ...(input.seo
          ? { seoTitle: input.seo.title ?? null, seoDescription: input.seo.description ?? null, seoKeywords: input.seo.keywords ?? [] }
          : {}),
      },
      select: { id: true },
    });
  },

  async archive(tx: CatalogTx, id: string) {
    return tx.product.update({ where: { id }, data: { status: 'ARCHIVED' }, select: { id: true } });
  },

  async setVariantPrice(tx: CatalogTx, variantId: string, price: Money) {
    const before = await tx.variant.findUniqueOrThrow({ where: { id: variantId }, select: { productId: true, priceMinor: true, currency: true } });
    // Every change to a product goes through its row, so its events are appended in commit order.
    await tx.product.update({ where: { id: before.productId }, data: { updatedAt: new Date() }, select: { id: true } });
    const after = await tx.variant.update({
      where: { id: variantId },
      data: { priceMinor: price.amountMinor, currency: price.currency },
      select: { id: true, productId: true, sku: true },
    });
    return { ...after, previous: { amountMinor: before.priceMinor, currency: before.currency } };
  },
};
