import type { Logger } from '@shop/platform';
import { transitionOrder } from '../order-transition';
import { TX_OPTIONS, type OrdersDb } from '../orders.db';

/** The job's row in `scheduled_job`. */
export const ORDER_COMPLETION_JOB = 'order-completion';

const BATCH = 500;

/**
 * Orders DELIVERED longer than the return window ago become COMPLETED (terminal). Safe to run
 * twice: each order moves with the guarded transition, and one already COMPLETED is left alone.
 * @returns how many orders it completed
 */
export async function completeDeliveredOrders(db: OrdersDb, returnWindowDays: number, log: Logger, now = new Date()): Promise<number> {
  const deliveredBefore = new Date(now.getTime() - returnWindowDays * 86_400_000);
  const due = await db.order.findMany({
    where: { status: 'DELIVERED', history: { some: { toStatus: 'DELIVERED', at: { lte: deliveredBefore } } } },
    select: { id: true },
    take: BATCH,
  });
  let completed = 0;
  for (const { id } of due) {
    const result = await db.$transaction(
      (tx) => transitionOrder(tx, { orderId: id, to: 'COMPLETED', actor: 'system', reason: `return window of ${returnWindowDays} days over`, events: () => [] }),
      TX_OPTIONS,
    );
    if (result.changed) completed += 1;
  }
  if (completed > 0) log.info({ completed }, 'orders completed after the return window');
  return completed;
}
