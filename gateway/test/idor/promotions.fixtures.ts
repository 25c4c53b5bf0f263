import type { ShopServices } from './catalog.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

const MY_AFFILIATES = '{ myAffiliates { id commissionRateBp codes } }';

/** A coupon staff would have made (5 % off, at most 10 uses), with a code only it has, optionally a marketer's referral code. */
async function couponOf(tools: Tools, affiliateId: string | null = null): Promise<{ couponId: string; code: string }> {
  const code = `IDOR${tools.unique()}`.toUpperCase();
  const [row] = await tools.services.promotionsSql(
    `INSERT INTO coupon (id, code, kind, value, usage_limit, affiliate_id, updated_at)
     VALUES (gen_random_uuid(), $1, 'PERCENTAGE'::"CouponKind", 5, 10, $2::uuid, now()) RETURNING id::text AS id`,
    [code, affiliateId],
  );
  return { couponId: String(row?.id), code };
}

const ownCoupon = async (tools: Tools): Promise<OwnedObject> => {
  const coupon = await couponOf(tools);
  return { ids: { couponId: coupon.couponId }, secrets: [coupon.couponId, coupon.code] };
};

/** Customer A made a marketer by staff: an affiliate record with one referral code. */
async function ownAffiliate(tools: Tools): Promise<OwnedObject> {
  const [row] = await tools.services.promotionsSql(
    'INSERT INTO affiliate (id, marketer_id, commission_rate_bp) VALUES (gen_random_uuid(), $1, 750) RETURNING id::text AS id',
    [tools.owner.identity.userId],
  );
  const affiliateId = String(row?.id);
  const coupon = await couponOf(tools, affiliateId);
  return { ids: { affiliateId }, secrets: [affiliateId, coupon.code] };
}

/** Customer A's account, which only staff may make a marketer. */
const ownAccount = async (tools: Tools): Promise<OwnedObject> => {
  const marketerId = tools.owner.identity.userId ?? '';
  return { ids: { marketerId }, secrets: [marketerId] };
};

/** A's affiliate records and their codes, as A sees them. */
const affiliatesOf = async (_owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: MY_AFFILIATES, variables: {} })).data;

/** Everything a coupon change could touch: its limits, window and deletion. */
const couponState = (owned: OwnedObject, tools: Tools) =>
  tools.services.promotionsSql('SELECT code, value, usage_limit, per_customer_limit, starts_at, ends_at, deleted_at FROM coupon WHERE id = $1::uuid', [owned.ids.couponId]);

function couponWrite(query: string, variables: (ids: Ids) => Record<string, unknown>): FieldFixture<ShopServices> {
  return { access: 'staff-only', owner: 'CUSTOMER', create: ownCoupon, operation: (ids) => ({ query, variables: variables(ids) }), readBack: couponState };
}

/**
 * Promotions. Coupons are staff's: customers are refused with FORBIDDEN, guests UNAUTHENTICATED.
 * An affiliate record is its marketer's (and staff's): anyone else finds it missing; only staff
 * make marketers and give them codes.
 */
export const promotionsFixtures: FixtureRegistry<ShopServices> = {
  'Query.coupon': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: ownCoupon,
    operation: (ids) => ({ query: 'query ($id: ID!) { coupon(id: $id) { id code usageLimit } }', variables: { id: ids.couponId } }),
  },
  'Mutation.updateCoupon': couponWrite('mutation ($id: ID!) { updateCoupon(id: $id, input: { usageLimit: 1000000, endsAt: null }) { id usageLimit } }', (ids) => ({ id: ids.couponId })),
  'Mutation.deleteCoupon': couponWrite('mutation ($id: ID!) { deleteCoupon(id: $id) { id deletedAt } }', (ids) => ({ id: ids.couponId })),
  // A referral code for A's affiliate record: only staff may give a marketer one.
  'Mutation.createCoupon': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: ownAffiliate,
    operation: (ids, unique) => ({
      query: 'mutation ($input: CreateCouponInput!) { createCoupon(input: $input) { id code } }',
      variables: { input: { code: `INTR${unique}`.toUpperCase(), kind: 'PERCENTAGE', value: 90, affiliateId: ids.affiliateId } },
    }),
    readBack: affiliatesOf,
  },
  'Query.affiliate': {
    access: 'private',
    owner: 'CUSTOMER',
    create: ownAffiliate,
    operation: (ids) => ({ query: 'query ($id: ID!) { affiliate(id: $id) { id marketerId commissionRateBp codes } }', variables: { id: ids.affiliateId } }),
  },
  'Mutation.createAffiliate': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: ownAccount,
    operation: (ids) => ({ query: 'mutation ($input: CreateAffiliateInput!) { createAffiliate(input: $input) { id marketerId } }', variables: { input: { marketerId: ids.marketerId, commissionRateBp: 9000 } } }),
    readBack: affiliatesOf,
  },
};
