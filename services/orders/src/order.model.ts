import { money, type Money } from '@shop/platform';
import type { Prisma } from './generated/prisma/client';
import type { OrderStatus } from './order-status.machine';

/** An order row with its lines and history, in order. */
export const orderWithDetails = {
  lines: { orderBy: { position: 'asc' } },
  history: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.OrderInclude;
export type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderWithDetails }>;

/** A shipping address as stored on the order. */
export interface ShippingAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | null;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
  readonly phone?: string | null;
}

/** An order line as clients see it: the snapshot taken at checkout (ORD-1). */
export interface OrderLineView {
  readonly id: string;
  readonly variantId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly weightGrams: number;
  readonly taxRate: number;
  readonly tax: Money;
  readonly discount: Money;
  readonly lineTotal: Money;
}

/** One status change as clients see it (ORD-3). */
export interface OrderHistoryView {
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

/** An order as clients see it. `heldByCaller` marks an order the caller proved they hold (guest checkout, reference + email). */
export interface OrderView {
  readonly id: string;
  readonly reference: string;
  readonly status: OrderStatus;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly lines: readonly OrderLineView[];
  readonly subtotal: Money;
  readonly discount: Money;
  readonly shippingTotal: Money;
  readonly taxTotal: Money;
  readonly total: Money;
  readonly shippingAddress: ShippingAddress;
  readonly paymentDueAt: string | null;
  readonly createdAt: string;
  readonly history: readonly OrderHistoryView[];
  readonly heldByCaller?: boolean;
}

/** An order row as clients see it: amounts as Money in the order currency. */
export function toOrderView(row: OrderRow): OrderView {
  const m = (minor: bigint): Money => money(minor, row.currency);
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    customerId: row.customerId,
    email: row.email,
    lines: row.lines.map((line) => ({
      id: line.id,
      variantId: line.variantId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: m(line.unitPriceMinor),
      weightGrams: line.weightGrams,
      taxRate: line.taxRateBp,
      tax: m(line.taxMinor),
      discount: m(line.discountMinor),
      lineTotal: m(line.lineTotalMinor),
    })),
    subtotal: m(row.subtotalMinor),
    discount: m(row.discountMinor),
    shippingTotal: m(row.shippingMinor),
    taxTotal: m(row.taxMinor),
    total: m(row.totalMinor),
    shippingAddress: row.shippingAddress as unknown as ShippingAddress,
    paymentDueAt: row.paymentDueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    history: row.history.map((entry) => ({ from: entry.fromStatus, to: entry.toStatus, actor: entry.actor, reason: entry.reason, at: entry.at.toISOString() })),
  };
}
