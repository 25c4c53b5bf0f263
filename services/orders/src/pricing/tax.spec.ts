import { money } from '@shop/platform';
import fc from 'fast-check';
import { DEFAULT_TAX_RATES, type TaxRates } from './tax-rates';
import { discountsFromPromotions, freeShipping, priceOrder, type PricingLine } from './pricing';
import { taxOn, taxRateFor } from './tax';

const rates: TaxRates = { DE: { standard: 1900, reduced: 700 }, FR: { standard: 2000 } };
const eur = (minor: bigint) => money(minor, 'EUR');
const line = (unitMinor: bigint, quantity: number, taxClass = 'standard'): PricingLine => ({
  variantId: `v-${unitMinor}`,
  sku: `SKU-${unitMinor}`,
  name: 'Mug',
  unitPrice: eur(unitMinor),
  quantity,
  weightGrams: 300,
  taxClass,
});
const request = (country: string) => ({ currency: 'EUR', country, couponCode: null, shippingQuoteToken: null, customerId: null });
const policies = { taxRates: rates, discounts: discountsFromPromotions, shipping: freeShipping };

describe('tax (PROMO-4)', () => {
  test('PROMO-4: rates come from configuration per country and class; unknown class is standard, unknown country is 0', () => {
    expect(taxRateFor(rates, 'DE', 'standard')).toBe(1900);
    expect(taxRateFor(rates, 'DE', 'reduced')).toBe(700);
    expect(taxRateFor(rates, 'FR', 'reduced')).toBe(2000);
    expect(taxRateFor(rates, 'de', 'standard')).toBe(1900);
    expect(taxRateFor(rates, 'US', 'standard')).toBe(0);
    expect(DEFAULT_TAX_RATES.DE).toEqual({ standard: 1900, reduced: 700 });
  });

  test('PROMO-4: tax rounds half-up on minor units (1.05 EUR at 19 % = 0.1995 -> 0.20; 2.50 at 7 % = 0.175 -> 0.18)', () => {
    expect(taxOn(eur(105n), 1900)).toEqual(eur(20n));
    expect(taxOn(eur(250n), 700)).toEqual(eur(18n));
    expect(taxOn(eur(249n), 700)).toEqual(eur(17n));
    expect(taxOn(eur(0n), 1900)).toEqual(eur(0n));
  });

  test('PROMO-4: an order is priced per line in integer minor units; totals add up exactly', async () => {
    const priced = await priceOrder([line(105n, 3), line(1990n, 1, 'reduced')], request('DE'), policies);
    expect(priced.lines.map((l) => [l.taxRateBp, l.tax.amountMinor, l.lineTotal.amountMinor])).toEqual([
      [1900, 60n, 375n],
      [700, 139n, 2129n],
    ]);
    expect(priced.subtotal).toEqual(eur(2305n));
    expect(priced.tax).toEqual(eur(199n));
    expect(priced.total).toEqual(eur(2504n));
    expect((await priceOrder([line(1000n, 2)], request('US'), policies)).tax).toEqual(eur(0n));
  });

  test('PROMO-4 (property): total = subtotal + tax, tax = sum of line taxes, each within half a minor unit of exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 10_000_000n }), fc.integer({ min: 1, max: 999 })), { minLength: 1, maxLength: 8 }), async (pairs) => {
        const priced = await priceOrder(pairs.map(([unit, qty]) => line(unit, qty)), request('DE'), policies);
        const lineTaxes = priced.lines.reduce((n, l) => n + l.tax.amountMinor, 0n);
        const exactOk = priced.lines.every((l) => {
          const exactTimes10k = l.unitPrice.amountMinor * BigInt(l.quantity) * 1900n;
          const diff = l.tax.amountMinor * 10_000n - exactTimes10k;
          return diff <= 5_000n && diff > -5_000n;
        });
        return priced.total.amountMinor === priced.subtotal.amountMinor + priced.tax.amountMinor && priced.tax.amountMinor === lineTaxes && exactOk;
      }),
    );
  });

  test('PROMO-1: checkout records a well-formed coupon code without a discount (promotions decides it) and refuses a malformed one', async () => {
    const priced = await priceOrder([line(100n, 1)], { ...request('DE'), couponCode: 'SAVE10' }, policies);
    expect(priced.discount.amountMinor).toBe(0n);
    await expect(priceOrder([line(100n, 1)], { ...request('DE'), couponCode: 'SAVE 10%' }, policies)).rejects.toMatchObject({ code: 'COUPON_INVALID' });
  });

  test('CART-4: a shipping quote is refused with a typed error until shipping exists', async () => {
    await expect(priceOrder([line(100n, 1)], { ...request('DE'), shippingQuoteToken: 'tok' }, policies)).rejects.toMatchObject({ code: 'SHIPPING_QUOTE_INVALID' });
  });
});
