import { canTransition, type OrderStatus } from './order-status.machine';
import type { OrdersDb } from './orders.db';

/** The audit's answer: ok when there is no problem; each problem names an order reference. */
export interface OrderAudit {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

const LIMIT = 100;

/**
 * Checks the orders database against the saga's and the state machine's promises: every
 * AWAITING_PAYMENT order has its stock confirmed and a payment deadline, every REJECTED order says
 * why, and every order's history is an unbroken chain of allowed transitions ending in its status.
 */
export async function auditOrders(db: OrdersDb): Promise<OrderAudit> {
  const problems: string[] = [];
  const unconfirmed = await db.$queryRaw<{ reference: string }[]>`
    SELECT o.reference FROM customer_order o
    WHERE o.status = 'AWAITING_PAYMENT'
      AND (o.payment_due_at IS NULL OR NOT EXISTS (
        SELECT 1 FROM order_saga_step s WHERE s.order_id = o.id AND s.step = 'stock' AND s.outcome = 'CONFIRMED'))
    ORDER BY o.reference LIMIT ${LIMIT}`;
  for (const { reference } of unconfirmed) problems.push(`${reference}: AWAITING_PAYMENT without a confirmed stock step or a payment deadline`);
  const unexplained = await db.$queryRaw<{ reference: string }[]>`
    SELECT o.reference FROM customer_order o
    WHERE o.status = 'REJECTED' AND NOT EXISTS (
      SELECT 1 FROM order_history h WHERE h.order_id = o.id AND h.to_status = 'REJECTED' AND coalesce(h.reason, '') <> '')
    ORDER BY o.reference LIMIT ${LIMIT}`;
  for (const { reference } of unexplained) problems.push(`${reference}: REJECTED without a reason`);
  const links = await db.$queryRaw<{ reference: string; from_status: OrderStatus | null; previous: OrderStatus | null; to_status: OrderStatus; is_last: boolean; status: OrderStatus }[]>`
    SELECT o.reference, h.from_status, h.previous, h.to_status, h.is_last, o.status
    FROM (
      SELECT order_id, from_status::text AS from_status, to_status::text AS to_status,
             lag(to_status::text) OVER w AS previous,
             row_number() OVER w = count(*) OVER (PARTITION BY order_id) AS is_last
      FROM order_history WINDOW w AS (PARTITION BY order_id ORDER BY at, id)
    ) h JOIN customer_order o ON o.id = h.order_id
    WHERE h.from_status IS DISTINCT FROM h.previous
       OR (h.from_status IS NULL AND h.to_status <> 'PENDING')
       OR (h.is_last AND h.to_status <> o.status::text)
    ORDER BY o.reference LIMIT ${LIMIT}`;
  for (const link of links) {
    const transition = `${link.from_status ?? '∅'} → ${link.to_status}`;
    if (link.from_status !== link.previous) problems.push(`${link.reference}: history ${transition} does not follow ${link.previous ?? 'the start'}`);
    else if (link.is_last && link.to_status !== link.status) problems.push(`${link.reference}: history ends in ${link.to_status} but the status is ${link.status}`);
    else problems.push(`${link.reference}: history starts with ${transition}`);
  }
  const pairs = await db.$queryRaw<{ reference: string; from_status: OrderStatus; to_status: OrderStatus }[]>`
    SELECT DISTINCT ON (h.from_status, h.to_status) o.reference, h.from_status::text AS from_status, h.to_status::text AS to_status
    FROM order_history h JOIN customer_order o ON o.id = h.order_id
    WHERE h.from_status IS NOT NULL ORDER BY h.from_status, h.to_status, o.reference`;
  for (const pair of pairs) {
    if (!canTransition(pair.from_status, pair.to_status)) problems.push(`${pair.reference}: history has ${pair.from_status} → ${pair.to_status}, which the state machine forbids`);
  }
  const orphans = await db.$queryRaw<{ reference: string }[]>`
    SELECT o.reference FROM customer_order o WHERE NOT EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = o.id) ORDER BY o.reference LIMIT ${LIMIT}`;
  for (const { reference } of orphans) problems.push(`${reference}: no history`);
  return { ok: problems.length === 0, problems };
}
