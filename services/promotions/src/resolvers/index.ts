import type { SubgraphResolvers } from '@shop/platform';
import type { PromotionsContext } from '../promotions.context';

type Args = Record<string, unknown>;

/** Every promotions resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: {
    coupons: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.coupons(ctx, args),
    coupon: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.coupon(ctx, args),
    affiliate: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.affiliates.affiliate(ctx, args),
    myAffiliates: (_: unknown, _args: Args, ctx: PromotionsContext) => ctx.affiliates.myAffiliates(ctx),
  },
  Mutation: {
    createCoupon: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.createCoupon(ctx, args),
    updateCoupon: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.updateCoupon(ctx, args),
    deleteCoupon: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.deleteCoupon(ctx, args),
    applyCoupon: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.coupons.applyCoupon(ctx, args),
    createAffiliate: (_: unknown, args: Args, ctx: PromotionsContext) => ctx.affiliates.createAffiliate(ctx, args),
  },
} as unknown as SubgraphResolvers<PromotionsContext>;
