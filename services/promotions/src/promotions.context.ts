import type { RequestContext } from '@shop/platform';
import type { AffiliateService } from './affiliate.service';
import type { CouponService } from './coupon.service';

/** What promotions resolvers receive: the platform's request context plus the promotions' services. */
export interface PromotionsContext extends RequestContext {
  readonly coupons: CouponService;
  readonly affiliates: AffiliateService;
}
