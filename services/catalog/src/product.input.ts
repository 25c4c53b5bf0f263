import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens').max(160);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const moneyInput = z.object({ amount: z.string(), currency: z.string() });

const seo = z.object({
  title: z.string().max(200).nullish(),
  description: z.string().max(400).nullish(),
  keywords: z.array(text(60)).max(30).nullish(),
});

const image = z.object({ url: httpUrl, alt: z.string().max(300).nullish() });

const variant = z.object({
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  name: text(200),
  attributes: z
    .array(z.object({ name: text(40), value: text(100) }))
    .max(20)
    .nullish()
    .refine((list) => !list || new Set(list.map((a) => a.name)).size === list.length, 'names must be unique'),
  weightGrams: z.number().int().min(0).max(1_000_000).nullish(),
  price: moneyInput,
});

/** `createProduct` input, as validated before anything is written. */
export const createProductInput = z.object({
  name: text(200),
  slug: slug.nullish(),
  description: z.string().max(20_000).nullish(),
  categoryId: z.uuid('is not a category id').nullish(),
  marketId: z.uuid('is not a market id').nullish(),
  seo: seo.nullish(),
  images: z.array(image).max(20).nullish(),
  variants: z
    .array(variant)
    .min(1, 'needs at least one variant')
    .max(100)
    .refine((list) => new Set(list.map((v) => v.sku)).size === list.length, 'SKUs must be unique'),
});
export type CreateProductInput = z.infer<typeof createProductInput>;

/** `updateProduct` input: every field optional, none may be emptied. */
export const updateProductInput = z.object({
  name: text(200).nullish(),
  slug: slug.nullish(),
  description: z.string().max(20_000).nullish(),
  categoryId: z.uuid('is not a category id').nullish(),
  seo: seo.nullish(),
  images: z.array(image).max(20).nullish(),
});
export type UpdateProductInput = z.infer<typeof updateProductInput>;

/** Ids arrive as strings; a malformed one can match nothing. */
export const entityId = z.uuid();

/** Turns a name into a slug: "Merino Crew Sweater" → "merino-crew-sweater". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 150) || 'product';
}
