import { appendToOutbox, money, multiply, sum, type Logger } from '@shop/platform';
import { cartAbandoned, ORDERS_SOURCE } from '../events/order.events';
import type { OrdersDb } from '../orders.db';

/** The job's row in `scheduled_job`. */
export const ABANDONED_CART_JOB = 'abandoned-carts';

const BATCH = 500;

/** What one sweep did. */
export interface CartSweepResult {
  readonly reminded: number;
  readonly purged: number;
}

/**
 * CART-6: a cart with lines untouched for `reminderHours` gets one CartAbandoned (remembered in
 * `reminder_sent_at` until the cart is touched again); a cart untouched for `purgeDays` is deleted.
 * Safe to run twice: the reminder is claimed with a conditional update.
 */
export async function sweepAbandonedCarts(db: OrdersDb, settings: { reminderHours: number; purgeDays: number }, log: Logger, now = new Date()): Promise<CartSweepResult> {
  const remindBefore = new Date(now.getTime() - settings.reminderHours * 3_600_000);
  const purgeBefore = new Date(now.getTime() - settings.purgeDays * 86_400_000);
  const idle = await db.cart.findMany({
    where: { lastActivityAt: { lt: remindBefore, gte: purgeBefore }, reminderSentAt: null, lines: { some: {} } },
    include: { lines: true },
    take: BATCH,
  });
  let reminded = 0;
  for (const cart of idle) {
    const currency = cart.currency ?? cart.lines[0]?.currency;
    if (!currency) continue;
    const sent = await db.$transaction(async (tx) => {
      const claimed = await tx.cart.updateMany({ where: { id: cart.id, reminderSentAt: null, lastActivityAt: cart.lastActivityAt }, data: { reminderSentAt: now } });
      if (claimed.count !== 1) return false;
      const subtotal = sum(cart.lines.map((line) => multiply(money(line.unitPriceMinor, line.currency), line.quantity)), currency);
      await appendToOutbox(tx, ORDERS_SOURCE, [cartAbandoned(cart, cart.lines.length, subtotal)]);
      return true;
    });
    if (sent) reminded += 1;
  }
  const { count: purged } = await db.cart.deleteMany({ where: { lastActivityAt: { lt: purgeBefore } } });
  if (reminded + purged > 0) log.info({ reminded, purged }, 'abandoned carts swept');
  return { reminded, purged };
}
