import { money, multiply, sum, type Money } from '@shop/platform';
import type { Prisma } from './generated/prisma/client';

/** A cart row with its lines, oldest line first. */
export const cartWithLines = { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } satisfies Prisma.CartInclude;
export type CartRow = Prisma.CartGetPayload<{ include: typeof cartWithLines }>;

/** A cart line as clients see it. */
export interface CartLineView {
  readonly id: string;
  readonly variantId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

/** A cart as clients see it; the subtotal is computed here, on the server (CART-4). */
export interface CartView {
  readonly id: string;
  readonly customerId: string | null;
  readonly lines: readonly CartLineView[];
  readonly subtotal: Money | null;
}

/** A cart row as clients see it, with line totals and subtotal computed from the stored unit prices. */
export function toCartView(row: CartRow): CartView {
  const lines = row.lines.map((line) => {
    const unitPrice = money(line.unitPriceMinor, line.currency);
    return { id: line.id, variantId: line.variantId, quantity: line.quantity, unitPrice, lineTotal: multiply(unitPrice, line.quantity) };
  });
  const currency = row.currency ?? row.lines[0]?.currency;
  return { id: row.id, customerId: row.customerId, lines, subtotal: currency ? sum(lines.map((line) => line.lineTotal), currency) : null };
}
