import { formatAmount, type Money, type SubgraphResolvers } from '@shop/platform';
import type { PaymentMethod, RefundDestination } from '../generated/prisma/enums';
import type { PaymentView, RefundView } from '../payment.model';
import type { PaymentsContext } from '../payments.context';
import { toRefundView } from '../payment.model';

interface RefundArgs {
  paymentId: string;
  amount?: { amount: string; currency: string } | null;
  reason: string;
  idempotencyKey?: string | null;
  destination?: RefundDestination | null;
}

/** Every payments resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: {
    payment: (_: unknown, args: { id: string }, ctx: PaymentsContext) => ctx.payments.payment(ctx, args.id),
    myWallet: (_: unknown, args: { currency: string }, ctx: PaymentsContext) => ctx.wallets.myWallet(ctx, args.currency),
  },
  Mutation: {
    payOrder: (_: unknown, args: { orderId: string; idempotencyKey: string; method?: PaymentMethod | null }, ctx: PaymentsContext) =>
      ctx.payments.payOrder(ctx, args.orderId, args.idempotencyKey, args.method ?? 'SANDBOX'),
    refundPayment: (_: unknown, args: RefundArgs, ctx: PaymentsContext) => ctx.refunds.refundPayment(ctx, args),
    confirmOfflinePayment: (_: unknown, args: { paymentId: string }, ctx: PaymentsContext) => ctx.payments.confirmOfflinePayment(ctx, args.paymentId),
  },
  Payment: {
    createdAt: (payment: PaymentView) => payment.createdAt.toISOString(),
    refunds: async (payment: PaymentView, _: unknown, ctx: PaymentsContext) => (await ctx.refunds.refundsOf(payment.id)).map(toRefundView),
  },
  Refund: { createdAt: (refund: RefundView) => refund.createdAt.toISOString() },
  Money: { amount: (m: Money) => formatAmount(m) },
} as unknown as SubgraphResolvers<PaymentsContext>;
