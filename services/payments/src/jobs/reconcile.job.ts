import type { Logger } from '@shop/platform';
import type { Payment } from '../generated/prisma/client';
import { TX_OPTIONS, type PaymentsDb } from '../payments.db';
import { providerPayment, type PaymentService } from '../payment.service';
import type { ProviderRegistry } from '../providers';

/** The reconciliation job's name in `scheduled_job` (one run per period across replicas). */
export const RECONCILE_JOB = 'payments-reconcile';

/** What one run did. */
export interface ReconcileReport {
  readonly captured: number;
  readonly failed: number;
  readonly expired: number;
}

/**
 * Settles attempts stuck in PENDING (PAY-6): asks each one's provider how it ended and captures or
 * fails it; one still pending past its order's payment deadline, or older than
 * PAYMENT_TIMEOUT_SECONDS, is expired (PaymentFailed), so payments never captures after the
 * deadline. A provider that cannot be reached is skipped until the next run.
 */
export async function reconcilePendingPayments(
  db: PaymentsDb,
  providers: ProviderRegistry,
  payments: PaymentService,
  options: { stuckAfterSeconds: number; timeoutSeconds: number },
  log: Logger,
): Promise<ReconcileReport> {
  const now = Date.now();
  const stuck = await db.payment.findMany({ where: { status: 'PENDING', createdAt: { lte: new Date(now - options.stuckAfterSeconds * 1000) } }, orderBy: { createdAt: 'asc' }, take: 100 });
  const report = { captured: 0, failed: 0, expired: 0 };
  for (const payment of stuck) {
    const outcome = await askProvider(providers, payment, log);
    const order = await db.payableOrder.findUnique({ where: { orderId: payment.orderId } });
    const overdue = (order ? order.paymentDueAt.getTime() <= now : false) || payment.createdAt.getTime() <= now - options.timeoutSeconds * 1000;
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM payment WHERE id = ${payment.id}::uuid FOR UPDATE`;
      const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
      if (outcome === 'SUCCEEDED' && (await payments.capture(tx, current, `reconcile:${payment.id}`))) report.captured += 1;
      else if (outcome === 'FAILED' && (await payments.fail(tx, current, 'declined by the provider'))) report.failed += 1;
      else if (outcome === 'PENDING' && overdue && (await payments.fail(tx, current, 'expired'))) {
        await tx.payment.update({ where: { id: payment.id }, data: { status: 'EXPIRED' } });
        report.expired += 1;
      }
    }, TX_OPTIONS);
  }
  if (report.captured + report.failed + report.expired > 0) log.info(report, 'pending payments reconciled');
  return report;
}

async function askProvider(providers: ProviderRegistry, payment: Payment, log: Logger): Promise<'PENDING' | 'SUCCEEDED' | 'FAILED' | null> {
  const provider = providers.byName(payment.provider);
  if (!provider) return 'PENDING';
  try {
    return await providers.call(provider, (signal) => provider.lookup(providerPayment(payment), signal));
  } catch (error) {
    log.warn({ err: error, paymentId: payment.id, provider: provider.name }, 'provider lookup failed; retrying next run');
    return null;
  }
}
