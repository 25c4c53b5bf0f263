import { add, money, multiply, subtract, sum, type Money, type QuotedAddress } from '@shop/platform';
import type { OrdersTx } from '../orders.db';
import type { TaxRates } from './tax-rates';
import { OrdersErrors } from '../errors';
import { taxOn, taxRateFor } from './tax';

/** A cart line as pricing sees it: current catalog data and the quantity. */
export interface PricingLine {
  readonly variantId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly weightGrams: number;
  readonly taxClass: string;
}

/** What the checkout request says that pricing may use (never an amount). */
export interface PricingRequest {
  readonly currency: string;
  readonly country: string;
  readonly couponCode: string | null;
  readonly shippingQuoteToken: string | null;
  readonly customerId: string | null;
  /** Where the order ships; a shipping quote is bound to it. */
  readonly shippingAddress?: QuotedAddress;
}

/** Discounts per line (same order as the lines). The promotions subgraph plugs in here. */
export interface DiscountPolicy {
  lineDiscounts(lines: readonly PricingLine[], request: PricingRequest, tx?: OrdersTx): Promise<Money[]>;
}

/** The shipping price of the whole order. The shipping subgraph's signed quotes plug in here. */
export interface ShippingPolicy {
  /** `tx`: the checkout's transaction; a policy reads through it, never through a second connection. */
  shippingTotal(lines: readonly PricingLine[], request: PricingRequest, tx?: OrdersTx): Promise<Money>;
}

/** A priced order line: the snapshot ORD-1 keeps. */
export interface PricedLine extends PricingLine {
  readonly taxRateBp: number;
  readonly tax: Money;
  readonly discount: Money;
  /** unit price × quantity − discount + tax. */
  readonly lineTotal: Money;
}

/** Every amount of an order, computed on the server (CART-4). */
export interface PricedOrder {
  readonly lines: readonly PricedLine[];
  readonly subtotal: Money;
  readonly discount: Money;
  readonly shipping: Money;
  readonly tax: Money;
  readonly total: Money;
}

/** A coupon code's shape (as promotions stores them): 3..64 letters, digits, `-` or `_`. */
const COUPON_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

/**
 * Checkout prices without discount and records the coupon code: the amount comes from promotions
 * in the saga (DiscountApplied, see checkout/coupon.step.ts), which reserves the redemption
 * atomically. Only the code's format is checked here; a malformed code answers COUPON_INVALID like
 * any other unusable code.
 */
export const discountsFromPromotions: DiscountPolicy = {
  lineDiscounts: async (lines, request) => {
    if (request.couponCode !== null && !COUPON_CODE.test(request.couponCode)) throw OrdersErrors.create('COUPON_INVALID', { field: 'input.couponCode' });
    return lines.map(() => money(0n, request.currency));
  },
};

/** Until shipping exists: free shipping, and a quote token is refused rather than silently ignored. */
export const freeShipping: ShippingPolicy = {
  shippingTotal: async (_lines, request) => {
    if (request.shippingQuoteToken) {
      throw OrdersErrors.create('SHIPPING_QUOTE_INVALID', { field: 'input.shippingQuoteToken', message: 'Shipping quotes cannot be used yet.' });
    }
    return money(0n, request.currency);
  },
};

/** The policies an order is priced with. */
export interface PricingPolicies {
  readonly taxRates: TaxRates;
  readonly discounts: DiscountPolicy;
  readonly shipping: ShippingPolicy;
}

/**
 * Prices an order in integer minor units: per line net = unit × quantity − discount, tax on the
 * net (prices are tax-exclusive; tax per line, rounded half-up); total = subtotal − discount +
 * shipping + tax. Shipping is untaxed while it is free.
 */
export async function priceOrder(lines: readonly PricingLine[], request: PricingRequest, policies: PricingPolicies, tx?: OrdersTx): Promise<PricedOrder> {
  const discounts = await policies.discounts.lineDiscounts(lines, request, tx);
  const shipping = await policies.shipping.shippingTotal(lines, request, tx);
  const priced = lines.map((line, i): PricedLine => {
    const gross = multiply(line.unitPrice, line.quantity);
    const discount = discounts[i] ?? money(0n, request.currency);
    const taxRateBp = taxRateFor(policies.taxRates, request.country, line.taxClass);
    const tax = taxOn(subtract(gross, discount), taxRateBp);
    return { ...line, taxRateBp, tax, discount, lineTotal: add(subtract(gross, discount), tax) };
  });
  const subtotal = sum(priced.map((line) => multiply(line.unitPrice, line.quantity)), request.currency);
  const discount = sum(priced.map((line) => line.discount), request.currency);
  const tax = sum(priced.map((line) => line.tax), request.currency);
  return { lines: priced, subtotal, discount, shipping, tax, total: add(add(subtract(subtotal, discount), shipping), tax) };
}
