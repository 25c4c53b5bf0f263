import type { Money } from '@shop/platform';

/** A variant as the catalog shows it. */
export interface VariantView {
  readonly id: string;
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly weightGrams: number;
  readonly price: Money;
}

/** A product with everything a product page needs, cached as one unit. */
export interface ProductView {
  readonly id: string;
  readonly marketId: string;
  readonly categoryId: string | null;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly status: 'ACTIVE' | 'ARCHIVED';
  readonly seo: { readonly title: string | null; readonly description: string | null; readonly keywords: readonly string[] };
  readonly images: readonly { readonly url: string; readonly alt: string }[];
  readonly variants: readonly VariantView[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A page of product ids, as listed and cached before the products themselves are loaded. */
export interface ProductPage {
  readonly ids: readonly string[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
}
