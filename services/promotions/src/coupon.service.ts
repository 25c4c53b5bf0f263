import { badUserInput, notFound, type RateLimiter, type RateLimitRule, type RequestContext } from '@shop/platform';
import { parseApplyCoupon, parseCreateCoupon, parseUpdateCoupon } from './coupon.input';
import { evaluateCoupon, normaliseCode } from './discount-rules';
import { couponInvalid } from './errors';
import { couponView, moneyView } from './promotion.model';
import { isUniqueViolation, type PromotionsDb } from './promotions.db';

/** The rate limits of coupon checks (PROMO-3). */
export interface CouponCheckLimits {
  readonly perClient: RateLimitRule;
  readonly perCustomer: RateLimitRule;
}

/**
 * Coupons: staff CRUD with soft delete (PROMO-1) and the customer-facing check `applyCoupon`,
 * rate-limited per client and per customer, where every unusable code answers the same
 * COUPON_INVALID (PROMO-3). The authoritative redemption happens in the saga (RedemptionService).
 */
export class CouponService {
  constructor(
    private readonly db: PromotionsDb,
    private readonly limiter: RateLimiter,
    private readonly limits: CouponCheckLimits,
  ) {}

  async createCoupon(_ctx: RequestContext, args: { input?: unknown }) {
    const draft = parseCreateCoupon(args.input);
    if (draft.affiliateId && !(await this.db.affiliate.findUnique({ where: { id: draft.affiliateId }, select: { id: true } }))) {
      throw badUserInput('input.affiliateId', 'input.affiliateId: no such affiliate');
    }
    try {
      return couponView(await this.db.coupon.create({ data: { ...draft, code: normaliseCode(draft.code) } }));
    } catch (error) {
      if (isUniqueViolation(error)) throw badUserInput('input.code', 'input.code: a coupon with this code exists');
      throw error;
    }
  }

  async updateCoupon(_ctx: RequestContext, args: { id?: unknown; input?: unknown }) {
    const input = parseUpdateCoupon(args.input);
    const coupon = await this.find(args.id);
    const startsAt = input.startsAt === undefined ? coupon.startsAt : input.startsAt;
    const endsAt = input.endsAt === undefined ? coupon.endsAt : input.endsAt;
    if (startsAt && endsAt && startsAt >= endsAt) throw badUserInput('input.endsAt', 'input.endsAt: must be after startsAt');
    const usageLimit = input.usageLimit === undefined ? coupon.usageLimit : input.usageLimit;
    const updated = await this.db.coupon.updateMany({
      where: { id: coupon.id, deletedAt: null, ...(usageLimit !== null ? { usageCount: { lte: usageLimit } } : {}) },
      data: { usageLimit, perCustomerLimit: input.perCustomerLimit === undefined ? coupon.perCustomerLimit : input.perCustomerLimit, startsAt, endsAt },
    });
    if (updated.count === 0) throw badUserInput('input.usageLimit', 'input.usageLimit: below the redemptions already held');
    return couponView(await this.db.coupon.findUniqueOrThrow({ where: { id: coupon.id } }));
  }

  /** Soft delete: the coupon stops applying; its redemptions and history stay. */
  async deleteCoupon(_ctx: RequestContext, args: { id?: unknown }) {
    const coupon = await this.find(args.id);
    await this.db.coupon.updateMany({ where: { id: coupon.id, deletedAt: null }, data: { deletedAt: new Date() } });
    return couponView(await this.db.coupon.findUniqueOrThrow({ where: { id: coupon.id } }));
  }

  async coupon(_ctx: RequestContext, args: { id?: unknown }) {
    return couponView(await this.find(args.id));
  }

  async coupons(_ctx: RequestContext, args: { includeDeleted?: unknown }) {
    const rows = await this.db.coupon.findMany({ where: args.includeDeleted === true ? {} : { deletedAt: null }, orderBy: { createdAt: 'desc' }, take: 500 });
    return rows.map(couponView);
  }

  /**
   * Whether a code is usable now for `subtotal`, and what it would take off. Counts against the
   * caller's client address and, when signed in, the customer, before anything is looked up. Every
   * unusable code (unknown, deleted, not started, expired, exhausted, below its minimum) answers
   * the same COUPON_INVALID with the same message. Reserves nothing.
   */
  async applyCoupon(ctx: RequestContext, args: { code?: unknown; subtotal?: unknown }) {
    const checks = [{ rule: this.limits.perClient, subject: ctx.clientAddress }];
    if (ctx.identity.userId) checks.push({ rule: this.limits.perCustomer, subject: ctx.identity.userId });
    await this.limiter.consumeAll(checks);
    const { code, subtotal } = parseApplyCoupon(args);
    if (subtotal.amountMinor < 0n) throw badUserInput('subtotal', 'subtotal: must not be negative');
    const coupon = await this.db.coupon.findUnique({ where: { code: normaliseCode(code) } });
    if (!coupon) throw couponInvalid();
    const outcome = evaluateCoupon(coupon, subtotal, new Date());
    if (!outcome.ok) throw couponInvalid();
    if (coupon.usageLimit !== null && coupon.usageCount >= coupon.usageLimit) throw couponInvalid();
    if (coupon.perCustomerLimit !== null) {
      if (!ctx.identity.userId) throw couponInvalid();
      const used = await this.db.customerCouponUsage.findUnique({ where: { couponId_customerId: { couponId: coupon.id, customerId: ctx.identity.userId } } });
      if ((used?.count ?? 0) >= coupon.perCustomerLimit) throw couponInvalid();
    }
    return { code: coupon.code, kind: coupon.kind, discount: moneyView(outcome.amount), freeShipping: outcome.freeShipping };
  }

  private async find(id: unknown) {
    const coupon = typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? await this.db.coupon.findUnique({ where: { id } }) : null;
    if (!coupon) throw notFound('No coupon with this id.');
    return coupon;
  }
}

