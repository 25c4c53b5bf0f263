import { cheapestMethod, money, type RateTable } from '@shop/platform';
import { errorCodes } from '@shop/platform/testing';
import { seedShippingAt } from '../src';
import { createShippingDatabase, customer, staff, startTestShipping, type TestShipping } from './shipping-test-server';

type Database = Awaited<ReturnType<typeof createShippingDatabase>>;

const TABLE = `query { shippingRateTable { revision zones { id name countries postalPrefixes } methods { id code name currency active } rates { methodId zoneId minWeightGrams maxWeightGrams price { amount currency } } freeThresholds { methodId zoneId minSubtotal { amount } } } }`;
const SET_RATES = `mutation ($methodId: ID!, $zoneId: ID!, $bands: [WeightBandInput!]!, $freeFrom: MoneyInput) {
  setShippingRates(methodId: $methodId, zoneId: $zoneId, bands: $bands, freeFrom: $freeFrom) { revision } }`;

interface TableAnswer {
  revision: number;
  zones: { id: string; name: string; countries: string[] }[];
  methods: { id: string; code: string }[];
}

describe('the rate table, seeded and edited by staff (SHIP-1)', () => {
  let database: Database;
  let shipping: TestShipping;
  const published = async () =>
    (await database.db.outboxEvent.findMany({ where: { type: 'ShippingRatesPublished' }, orderBy: { seq: 'asc' } })).map((row) => row.payload as unknown as RateTable);
  const table = async () => (await shipping.call<{ shippingRateTable: TableAnswer }>(TABLE, { identity: staff })).data?.shippingRateTable as TableAnswer;

  beforeAll(async () => {
    database = await createShippingDatabase();
    shipping = await startTestShipping(database.url);
  });
  afterAll(async () => {
    await shipping?.stop();
    await database?.drop();
  });

  test('SHIP-1: the seed is data (standard and express for DE, FR, NL, AT, US), published once as ShippingRatesPublished; seeding again changes nothing', async () => {
    expect(await seedShippingAt(database.url)).toBe(true);
    expect(await seedShippingAt(database.url)).toBe(false);
    const [seeded, ...more] = await published();
    expect(more).toEqual([]);
    const rates = seeded as RateTable;
    const parcel = { weightGrams: 500, subtotal: money(2000n, 'EUR') };
    for (const country of ['DE', 'FR', 'NL', 'AT', 'US']) {
      expect(rates.zones.some((zone) => zone.countries.includes(country))).toBe(true);
      expect(cheapestMethod(rates, { country }, parcel)).toBeDefined();
    }
    expect(rates.methods.map((method) => method.code).sort()).toEqual(['EXPRESS', 'STANDARD']);
    expect(cheapestMethod(rates, { country: 'DE', postalCode: '10115' }, parcel)?.price).toEqual(money(490n, 'EUR'));
    expect(cheapestMethod(rates, { country: 'DE', postalCode: '27498' }, parcel)?.price).toEqual(money(1490n, 'EUR'));
    expect(cheapestMethod(rates, { country: 'DE' }, { weightGrams: 500, subtotal: money(5000n, 'EUR') })?.price).toEqual(money(0n, 'EUR'));
    expect((await table()).revision).toBe(rates.revision);
  });

  test('SHIP-1: staff replace a method\'s weight bands to a zone; every change publishes the whole table as a new revision', async () => {
    const before = await table();
    const germany = before.zones.find((zone) => zone.name === 'Germany') as { id: string };
    const standard = before.methods.find((method) => method.code === 'STANDARD') as { id: string };
    const answer = await shipping.call(SET_RATES, {
      identity: staff,
      variables: { methodId: standard.id, zoneId: germany.id, bands: [{ maxWeightGrams: 1000, price: { amount: '3.90', currency: 'EUR' } }, { price: { amount: '8.90', currency: 'EUR' } }], freeFrom: null },
    });
    expect(answer.errors).toBeUndefined();
    const latest = (await published()).at(-1) as RateTable;
    expect(latest.revision).toBe(before.revision + 1);
    expect(cheapestMethod(latest, { country: 'DE' }, { weightGrams: 999, subtotal: money(9000n, 'EUR') })?.price).toEqual(money(390n, 'EUR'));
    expect(cheapestMethod(latest, { country: 'DE' }, { weightGrams: 1000, subtotal: money(9000n, 'EUR') })?.price).toEqual(money(890n, 'EUR'));
    const zone = await shipping.call<{ upsertShippingZone: { revision: number } }>(
      `mutation ($input: ShippingZoneInput!) { upsertShippingZone(input: $input) { revision } }`,
      { identity: staff, variables: { input: { name: 'Switzerland', countries: ['ch'] } } },
    );
    expect(zone.data?.upsertShippingZone.revision).toBe(before.revision + 2);
    expect(((await published()).at(-1) as RateTable).zones.find((z) => z.name === 'Switzerland')?.countries).toEqual(['CH']);
  });

  test('SHIP-1: invalid edits are BAD_USER_INPUT or NOT_FOUND and change nothing; customers are refused', async () => {
    const before = await table();
    const germany = before.zones.find((zone) => zone.name === 'Germany') as { id: string };
    const standard = before.methods.find((method) => method.code === 'STANDARD') as { id: string };
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    const bad = [
      { methodId: standard.id, zoneId: germany.id, bands: [{ maxWeightGrams: 2000, price: eur('1.00') }, { maxWeightGrams: 1000, price: eur('2.00') }] },
      { methodId: standard.id, zoneId: germany.id, bands: [{ price: eur('1.00') }, { maxWeightGrams: 1000, price: eur('2.00') }] },
      { methodId: standard.id, zoneId: germany.id, bands: [{ price: { amount: '1.00', currency: 'USD' } }] },
      { methodId: standard.id, zoneId: germany.id, bands: [{ price: eur('-1.00') }] },
      { methodId: standard.id, zoneId: germany.id, bands: [{ price: eur('1.001') }] },
    ];
    for (const variables of bad) expect(errorCodes(await shipping.call(SET_RATES, { identity: staff, variables }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await shipping.call(SET_RATES, { identity: staff, variables: { ...bad[0], zoneId: '00000000-0000-7000-8000-000000000000', bands: [] } }))).toEqual(['NOT_FOUND']);
    const zone = `mutation ($input: ShippingZoneInput!) { upsertShippingZone(input: $input) { revision } }`;
    expect(errorCodes(await shipping.call(zone, { identity: staff, variables: { input: { name: 'Nowhere', countries: ['XX'] } } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await shipping.call(zone, { identity: staff, variables: { input: { name: 'Germany', countries: ['DE'] } } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await shipping.call(SET_RATES, { identity: customer(), variables: { methodId: standard.id, zoneId: germany.id, bands: [] } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await shipping.call(TABLE, { identity: customer() }))).toEqual(['FORBIDDEN']);
    const after = await table();
    expect(after).toEqual(before);
    expect(((await published()).at(-1) as RateTable).revision).toBe(before.revision);
  });
});
