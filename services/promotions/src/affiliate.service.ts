import { hasRole, notFound, parseInput, type RequestContext } from '@shop/platform';
import { z } from 'zod';
import { affiliateView } from './promotion.model';
import type { PromotionsDb } from './promotions.db';

const createAffiliate = z.object({
  marketerId: z.string().trim().min(1).max(64),
  commissionRateBp: z.number().int().min(0).max(10_000).nullish(),
});

const WITH_DETAILS = { coupons: true, attributions: { orderBy: { createdAt: 'desc' as const }, take: 500 } };

/**
 * Affiliate (referral) records (PROMO-5): staff create one for a marketer's account and give it
 * coupon codes (createCoupon with `affiliateId`). An order placed with such a code is attributed
 * to the marketer with the commission owed; only that marketer and staff can see it.
 */
export class AffiliateService {
  constructor(
    private readonly db: PromotionsDb,
    private readonly defaultCommissionBp: number,
  ) {}

  async createAffiliate(_ctx: RequestContext, args: { input?: unknown }) {
    const input = parseInput(createAffiliate, args.input, 'input');
    const affiliate = await this.db.affiliate.create({
      data: { marketerId: input.marketerId, commissionRateBp: input.commissionRateBp ?? this.defaultCommissionBp },
      include: WITH_DETAILS,
    });
    return affiliateView(affiliate);
  }

  /** One affiliate: its marketer and staff see it; anyone else gets NOT_FOUND, as for a missing one. */
  async affiliate(ctx: RequestContext, args: { id?: unknown }) {
    const id = typeof args.id === 'string' && /^[0-9a-f-]{36}$/i.test(args.id) ? args.id : null;
    const affiliate = id ? await this.db.affiliate.findUnique({ where: { id }, include: WITH_DETAILS }) : null;
    if (!affiliate || !(hasRole(ctx.identity, 'STAFF') || affiliate.marketerId === ctx.identity.userId)) throw notFound('No affiliate with this id.');
    return affiliateView(affiliate);
  }

  /** The caller's own affiliate records (empty for anyone who is not a marketer). */
  async myAffiliates(ctx: RequestContext) {
    if (!ctx.identity.userId) return [];
    const rows = await this.db.affiliate.findMany({ where: { marketerId: ctx.identity.userId }, include: WITH_DETAILS, orderBy: { createdAt: 'asc' } });
    return rows.map(affiliateView);
  }
}
