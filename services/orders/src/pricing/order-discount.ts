import { add, allocate, money, multiply, subtract, sum } from '@shop/platform';
import type { Order } from '../generated/prisma/client';
import type { OrdersTx } from '../orders.db';
import { taxOn } from './tax';

/** What DiscountApplied (promotions) says, as far as orders uses it. */
export interface DiscountAppliedPayload {
  readonly orderId: string;
  readonly code: string;
  readonly kind: string;
  readonly amount: { readonly amount: string; readonly amountMinor: string; readonly currency: string };
  readonly freeShipping: boolean;
}

/**
 * Puts a coupon's discount into a PENDING order (inside the saga's transaction): the amount,
 * decided by promotions, is spread over the lines in proportion to their gross with the
 * platform's `allocate` (no minor unit lost), each line's tax is recomputed on its discounted net
 * (tax after discount, half-up per line), and the order's discount, tax and total follow. Free
 * shipping adds the shipping price to the order's discount (it is not a line discount). A
 * discount in another currency than the order's changes nothing (promotions never sends one).
 */
export async function applyOrderDiscount(tx: OrdersTx, order: Order, applied: DiscountAppliedPayload): Promise<void> {
  if (applied.amount.currency !== order.currency) return;
  const currency = order.currency;
  const lines = await tx.orderLine.findMany({ where: { orderId: order.id }, orderBy: { position: 'asc' } });
  if (lines.length === 0) return;
  const gross = lines.map((line) => multiply(money(line.unitPriceMinor, currency), line.quantity));
  const grossTotal = sum(gross, currency);
  const requested = BigInt(applied.amount.amountMinor);
  const amount = money(requested > grossTotal.amountMinor ? grossTotal.amountMinor : requested, currency);
  const shares = allocate(amount, gross.map((g) => g.amountMinor));
  let oldLineTax = money(0n, currency);
  let newLineTax = money(0n, currency);
  for (const [i, line] of lines.entries()) {
    const discount = shares[i] ?? money(0n, currency);
    const net = subtract(gross[i] ?? money(0n, currency), discount);
    const tax = taxOn(net, line.taxRateBp);
    oldLineTax = add(oldLineTax, money(line.taxMinor, currency));
    newLineTax = add(newLineTax, tax);
    await tx.orderLine.update({ where: { id: line.id }, data: { discountMinor: discount.amountMinor, taxMinor: tax.amountMinor, lineTotalMinor: add(net, tax).amountMinor } });
  }
  const shipping = money(order.shippingMinor, currency);
  const discount = applied.freeShipping ? add(amount, shipping) : amount;
  const tax = add(subtract(money(order.taxMinor, currency), oldLineTax), newLineTax);
  const total = add(add(subtract(money(order.subtotalMinor, currency), discount), shipping), tax);
  await tx.order.update({ where: { id: order.id }, data: { discountMinor: discount.amountMinor, taxMinor: tax.amountMinor, totalMinor: total.amountMinor } });
}
