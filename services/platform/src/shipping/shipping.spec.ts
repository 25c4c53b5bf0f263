import { money } from '../money';
import { addressHash, cartFingerprint, cheapestMethod, priceMethods, signShippingQuote, verifyShippingQuote, zoneFor, type RateTable } from '.';

const table: RateTable = {
  revision: 1,
  zones: [
    { id: 'z-de', name: 'Germany', countries: ['DE'], postalPrefixes: [] },
    { id: 'z-de-islands', name: 'German islands', countries: ['DE'], postalPrefixes: ['27498', '18565'] },
    { id: 'z-eu', name: 'EU', countries: ['FR', 'NL', 'AT'], postalPrefixes: [] },
  ],
  methods: [
    { id: 'm-std', code: 'STANDARD', name: 'Standard', currency: 'EUR', active: true },
    { id: 'm-exp', code: 'EXPRESS', name: 'Express', currency: 'EUR', active: true },
    { id: 'm-old', code: 'OLD', name: 'Retired', currency: 'EUR', active: false },
  ],
  rates: [
    { methodId: 'm-std', zoneId: 'z-de', minWeightGrams: 0, maxWeightGrams: 2000, priceMinor: '490' },
    { methodId: 'm-std', zoneId: 'z-de', minWeightGrams: 2000, maxWeightGrams: null, priceMinor: '990' },
    { methodId: 'm-exp', zoneId: 'z-de', minWeightGrams: 0, maxWeightGrams: 5000, priceMinor: '1290' },
    { methodId: 'm-std', zoneId: 'z-de-islands', minWeightGrams: 0, maxWeightGrams: null, priceMinor: '1500' },
    { methodId: 'm-std', zoneId: 'z-eu', minWeightGrams: 0, maxWeightGrams: null, priceMinor: '890' },
    { methodId: 'm-old', zoneId: 'z-de', minWeightGrams: 0, maxWeightGrams: null, priceMinor: '1' },
  ],
  freeThresholds: [{ methodId: 'm-std', zoneId: 'z-de', minSubtotalMinor: '5000' }],
};
const eur = (minor: number) => money(BigInt(minor), 'EUR');

describe('shipping rates from configuration (SHIP-1)', () => {
  test('SHIP-1: the weight band decides the price; the upper bound belongs to the next band', () => {
    expect(priceMethods(table, { country: 'DE' }, { weightGrams: 1999, subtotal: eur(1000) }).map((m) => [m.methodId, m.price.amountMinor])).toEqual([
      ['m-std', 490n],
      ['m-exp', 1290n],
    ]);
    expect(priceMethods(table, { country: 'de' }, { weightGrams: 2000, subtotal: eur(1000) }).map((m) => [m.methodId, m.price.amountMinor])).toEqual([
      ['m-std', 990n],
      ['m-exp', 1290n],
    ]);
  });

  test('SHIP-1: a method without a band for the weight is not offered; inactive methods never are', () => {
    expect(priceMethods(table, { country: 'DE' }, { weightGrams: 6000, subtotal: eur(1000) }).map((m) => m.methodId)).toEqual(['m-std']);
  });

  test('SHIP-1: a postal-prefix zone wins over the whole country; an unknown country gets no method', () => {
    expect(zoneFor(table, { country: 'DE', postalCode: '27498' })?.id).toBe('z-de-islands');
    expect(zoneFor(table, { country: 'DE', postalCode: '10115' })?.id).toBe('z-de');
    expect(cheapestMethod(table, { country: 'DE', postalCode: '27498' }, { weightGrams: 100, subtotal: eur(100) })?.price).toEqual(eur(1500));
    expect(priceMethods(table, { country: 'JP' }, { weightGrams: 100, subtotal: eur(100) })).toEqual([]);
    expect(priceMethods(table, { country: 'FR' }, { weightGrams: 100, subtotal: money(100n, 'USD') })).toEqual([]);
  });

  test('SHIP-1: from the free-shipping threshold on the method costs nothing, in its zone only', () => {
    expect(cheapestMethod(table, { country: 'DE' }, { weightGrams: 100, subtotal: eur(4999) })?.price).toEqual(eur(490));
    expect(cheapestMethod(table, { country: 'DE' }, { weightGrams: 100, subtotal: eur(5000) })?.price).toEqual(eur(0));
    expect(cheapestMethod(table, { country: 'AT' }, { weightGrams: 100, subtotal: eur(5000) })?.price).toEqual(eur(890));
  });
});

describe('signed shipping quotes (SHIP-1)', () => {
  const secret = 'quote-secret-of-at-least-32-bytes-long';
  const address = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
  const cart = [{ variantId: 'v1', quantity: 2 }];
  const expected = { addressHash: addressHash(address), cartFingerprint: cartFingerprint(cart) };
  const now = new Date('2026-01-01T00:00:00Z');
  const token = signShippingQuote({ methodId: 'm-std', price: eur(490), ...expected, expiresAt: new Date(now.getTime() + 900_000) }, secret);

  test('SHIP-1: a token verifies for its address and cart and gives back method and price', () => {
    const check = verifyShippingQuote(token, secret, { addressHash: addressHash({ ...address, city: ' berlin ' }), cartFingerprint: cartFingerprint(cart) }, now);
    expect(check).toEqual({ ok: true, claims: { methodId: 'm-std', price: eur(490), ...expected, expiresAt: new Date(now.getTime() + 900_000) } });
  });

  test('SHIP-1: a tampered, expired, foreign-address or foreign-cart token is refused with its reason', () => {
    const [body, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const cheaper = `${Buffer.from(JSON.stringify({ ...claims, p: '1' })).toString('base64url')}.${signature}`;
    expect(verifyShippingQuote(cheaper, secret, expected, now)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyShippingQuote(token, 'another-secret-of-at-least-32-bytes!!', expected, now)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyShippingQuote('garbage', secret, expected, now)).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(verifyShippingQuote(token, secret, expected, new Date(now.getTime() + 900_000))).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(verifyShippingQuote(token, secret, { ...expected, addressHash: addressHash({ ...address, postalCode: '10117' }) }, now)).toEqual({ ok: false, reason: 'OTHER_ADDRESS' });
    expect(verifyShippingQuote(token, secret, { ...expected, cartFingerprint: cartFingerprint([{ variantId: 'v1', quantity: 3 }]) }, now)).toEqual({ ok: false, reason: 'OTHER_CART' });
  });
});
