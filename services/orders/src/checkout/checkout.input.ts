import { createHash } from 'node:crypto';
import { z } from 'zod';

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/** An ISO 3166-1 alpha-2 code that names a real region (DE, FR), upper-cased. */
const country = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .refine((code) => /^[A-Z]{2}$/.test(code) && regions.of(code) !== code, 'must be an ISO 3166-1 alpha-2 country code');

const text = (max: number) => z.string().trim().min(1).max(max);

/** AddressInput (CONTRACT): name, line1, city, postalCode and country required; line2 and phone optional. */
export const addressInput = z.object({
  name: text(200),
  line1: text(200),
  line2: z.string().trim().max(200).nullish(),
  city: text(100),
  postalCode: text(20),
  country,
  phone: z.string().trim().max(40).nullish(),
});

/** CheckoutInput (CONTRACT). Nothing in it is an amount: every amount is computed on the server. */
export const checkoutInput = z.object({
  idempotencyKey: text(100),
  shippingAddress: addressInput,
  shippingQuoteToken: z.string().min(1).max(2000).nullish(),
  couponCode: z.string().trim().min(1).max(64).nullish(),
  cartId: z.string().min(1).max(64).nullish(),
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase())
    .nullish(),
});
export type CheckoutInput = z.infer<typeof checkoutInput>;

/**
 * What makes two checkout requests "the same" for one idempotency key: the cart named, address,
 * email, coupon and quote token. Not the cart's contents, which checkout empties.
 */
export function requestFingerprint(input: CheckoutInput): string {
  const a = input.shippingAddress;
  const address = [a.name, a.line1, a.line2 ?? '', a.city, a.postalCode, a.country, a.phone ?? ''];
  const facts = [input.cartId ?? null, address, input.email ?? null, input.couponCode ?? null, input.shippingQuoteToken ?? null];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}
