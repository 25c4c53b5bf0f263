import fc from 'fast-check';
import { money } from '@shop/platform';
import { evaluateCoupon, normaliseCode, type CouponTerms } from './discount-rules';

const terms = (overrides: Partial<CouponTerms> = {}): CouponTerms => ({
  kind: 'PERCENTAGE',
  value: 10,
  currency: null,
  minSubtotalMinor: null,
  startsAt: null,
  endsAt: null,
  deletedAt: null,
  ...overrides,
});
const eur = (minor: bigint) => money(minor, 'EUR');
const now = new Date('2026-11-23T12:00:00Z');

describe('discount rules (PROMO-1)', () => {
  test('PROMO-1: a percentage rounds half-up on minor units', () => {
    expect(evaluateCoupon(terms({ value: 15 }), eur(10n), now)).toEqual({ ok: true, amount: eur(2n), freeShipping: false });
    expect(evaluateCoupon(terms({ value: 15 }), eur(9n), now)).toEqual({ ok: true, amount: eur(1n), freeShipping: false });
    expect(evaluateCoupon(terms({ value: 10 }), eur(5n), now)).toEqual({ ok: true, amount: eur(1n), freeShipping: false });
  });

  test('PROMO-1: any discount is between 0 and the subtotal, and a percentage is within half a minor unit of exact', () => {
    fc.assert(
      fc.property(fc.constantFrom('PERCENTAGE', 'FIXED_AMOUNT') as fc.Arbitrary<CouponTerms['kind']>, fc.integer({ min: 1, max: 100 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (kind, value, subtotal) => {
        const outcome = evaluateCoupon(terms({ kind, value: kind === 'FIXED_AMOUNT' ? value * 137 : value }), eur(subtotal), now);
        if (!outcome.ok) return false;
        const off = outcome.amount.amountMinor;
        const exactTimes100 = subtotal * BigInt(value);
        const withinHalf = kind !== 'PERCENTAGE' || (off * 100n - exactTimes100 <= 50n && exactTimes100 - off * 100n < 50n);
        return off >= 0n && off <= subtotal && withinHalf;
      }),
    );
  });

  test('PROMO-1: a fixed amount never exceeds the subtotal; free shipping takes nothing off the lines', () => {
    expect(evaluateCoupon(terms({ kind: 'FIXED_AMOUNT', value: 500, currency: 'EUR' }), eur(320n), now)).toMatchObject({ ok: true, amount: eur(320n) });
    expect(evaluateCoupon(terms({ kind: 'FIXED_AMOUNT', value: 500, currency: 'EUR' }), eur(3200n), now)).toMatchObject({ ok: true, amount: eur(500n) });
    expect(evaluateCoupon(terms({ kind: 'FREE_SHIPPING', value: 0 }), eur(3200n), now)).toEqual({ ok: true, amount: eur(0n), freeShipping: true });
  });

  test('PROMO-1: the validity window is [startsAt, endsAt); minimum subtotal, currency and soft delete are checked', () => {
    expect(evaluateCoupon(terms({ startsAt: new Date(now.getTime() + 1) }), eur(100n), now)).toEqual({ ok: false, reason: 'NOT_STARTED' });
    expect(evaluateCoupon(terms({ startsAt: now }), eur(100n), now).ok).toBe(true);
    expect(evaluateCoupon(terms({ endsAt: now }), eur(100n), now)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(evaluateCoupon(terms({ minSubtotalMinor: 101n }), eur(100n), now)).toEqual({ ok: false, reason: 'MIN_SUBTOTAL' });
    expect(evaluateCoupon(terms({ minSubtotalMinor: 100n }), eur(100n), now).ok).toBe(true);
    expect(evaluateCoupon(terms({ currency: 'USD' }), eur(100n), now)).toEqual({ ok: false, reason: 'CURRENCY' });
    expect(evaluateCoupon(terms({ deletedAt: now }), eur(100n), now)).toEqual({ ok: false, reason: 'UNKNOWN' });
  });

  test('PROMO-1: codes are case-insensitive', () => {
    expect(normaliseCode('  welcome10 ')).toBe('WELCOME10');
  });
});
