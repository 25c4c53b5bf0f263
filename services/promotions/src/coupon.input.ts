import { z } from 'zod';
import { isSupportedCurrency, parseInput, parseMoney } from '@shop/platform';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const moneyInput = z.object({ amount: z.string().max(32), currency: z.string().length(3) });
const dateTime = z.string().datetime({ offset: true }).transform((value) => new Date(value));
const limit = z.number().int().min(1).max(1_000_000_000);

/** A code as clients type it: 3..64 letters, digits, `-` or `_` (case does not matter). */
export const couponCode = z.string().trim().regex(CODE, 'must be 3 to 64 letters, digits, - or _');

const createCoupon = z
  .object({
    code: couponCode,
    kind: z.enum(['PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING']),
    value: z.number().int().min(0),
    currency: z.string().length(3).refine(isSupportedCurrency, 'is not a supported currency').nullish(),
    usageLimit: limit.nullish(),
    perCustomerLimit: limit.nullish(),
    minSubtotal: moneyInput.nullish(),
    startsAt: dateTime.nullish(),
    endsAt: dateTime.nullish(),
    affiliateId: z.string().uuid().nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'PERCENTAGE' && (input.value < 1 || input.value > 100)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is 1..100' });
    if (input.kind === 'FIXED_AMOUNT' && input.value < 1) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a fixed amount is at least 1 minor unit' });
    if (input.kind === 'FIXED_AMOUNT' && !input.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'a fixed amount needs a currency' });
    if (input.kind === 'FREE_SHIPPING' && input.value !== 0) ctx.addIssue({ code: 'custom', path: ['value'], message: 'free shipping has value 0' });
    if (input.minSubtotal && input.currency && input.minSubtotal.currency !== input.currency) ctx.addIssue({ code: 'custom', path: ['minSubtotal', 'currency'], message: "must be the coupon's currency" });
    if (input.startsAt && input.endsAt && input.startsAt >= input.endsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

/** A validated createCoupon input; money already in minor units. */
export interface CouponDraft {
  readonly code: string;
  readonly kind: 'PERCENTAGE' | 'FIXED_AMOUNT' | 'FREE_SHIPPING';
  readonly value: number;
  readonly currency: string | null;
  readonly usageLimit: number | null;
  readonly perCustomerLimit: number | null;
  readonly minSubtotalMinor: bigint | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly affiliateId: string | null;
}

/** Parses createCoupon's input; BAD_USER_INPUT names the field at fault. */
export function parseCreateCoupon(value: unknown): CouponDraft {
  const input = parseInput(createCoupon, value, 'input');
  const minSubtotal = input.minSubtotal ? parseMoney(input.minSubtotal.amount, input.minSubtotal.currency, 'input.minSubtotal') : null;
  return {
    code: input.code,
    kind: input.kind,
    value: input.value,
    currency: input.currency ?? minSubtotal?.currency ?? null,
    usageLimit: input.usageLimit ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    minSubtotalMinor: minSubtotal?.amountMinor ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    affiliateId: input.affiliateId ?? null,
  };
}

const updateCoupon = z.object({ usageLimit: limit.nullish(), perCustomerLimit: limit.nullish(), startsAt: dateTime.nullish(), endsAt: dateTime.nullish() });

/** Parses updateCoupon's input: only the limits and the window change; a field left out stays, null clears it. */
export function parseUpdateCoupon(value: unknown) {
  return parseInput(updateCoupon, value, 'input');
}

/** Parses applyCoupon's arguments (the code's format and the subtotal to preview against). */
export function parseApplyCoupon(args: unknown): { code: string; subtotal: ReturnType<typeof parseMoney> } {
  const parsed = parseInput(z.object({ code: z.string().max(100), subtotal: moneyInput }), args, 'args');
  return { code: parsed.code, subtotal: parseMoney(parsed.subtotal.amount, parsed.subtotal.currency, 'subtotal') };
}
