import { appendToOutbox, badUserInput, equals, formatAmount, money, parseInput, type Money, type RequestContext } from '@shop/platform';
import type { CartRow } from '../cart.model';
import type { CartRepository } from '../cart.repository';
import type { CartService } from '../cart.service';
import type { CatalogVariant, CatalogVariantRepository } from '../catalog-variant.repository';
import { OrdersErrors } from '../errors';
import { ORDERS_SOURCE, orderPlaced } from '../events/order.events';
import { orderWithDetails, toOrderView, type OrderRow, type OrderView } from '../order.model';
import type { OrderRepository } from '../order.repository';
import { isUniqueViolation, TX_OPTIONS, type OrdersDb, type OrdersTx } from '../orders.db';
import { priceOrder, type PricingPolicies } from '../pricing/pricing';
import { checkoutInput, requestFingerprint, type CheckoutInput } from './checkout.input';
import { newOrderReference } from './order-reference';

const MAX_ATTEMPTS = 3;

/** A line whose price moved since it was added (CART-3). */
interface ChangedPrice {
  readonly lineId: string;
  readonly sku: string;
  readonly previous: Money;
  readonly current: Money;
}

/** Thrown inside the checkout transaction so that it rolls back; the cart is then refreshed in its own. */
class PricesChanged extends Error {
  constructor(readonly lines: readonly ChangedPrice[]) {
    super('prices changed');
  }
}

const moneyDetail = (m: Money) => ({ amount: formatAmount(m), currency: m.currency });

/**
 * Checkout (CART-3, CART-4, CART-5, ORD-1): re-validates the cart against the catalog read model,
 * prices it on the server and creates the order PENDING with its snapshot lines, first history row
 * and OrderPlaced, emptying the cart, in one transaction. Idempotent per (customer or guest cart, key).
 */
export class CheckoutService {
  constructor(
    private readonly db: OrdersDb,
    private readonly carts: CartRepository,
    private readonly cartService: CartService,
    private readonly variants: CatalogVariantRepository,
    private readonly orders: OrderRepository,
    private readonly pricing: PricingPolicies,
  ) {}

  async checkout(ctx: RequestContext, rawInput: unknown): Promise<OrderView> {
    const input = parseInput(checkoutInput, rawInput, 'input');
    const userId = ctx.identity.userId;
    if (!userId && !input.cartId) throw badUserInput('input.cartId', 'input.cartId: guests pass the id createCart gave them');
    if (!userId && !input.email) throw badUserInput('input.email', 'input.email: is required for guests');
    const scope = userId ? `customer:${userId}` : `cart:${input.cartId}`;
    const fingerprint = requestFingerprint(input);
    const earlier = await this.orders.byIdempotencyKey(scope, input.idempotencyKey);
    if (earlier) return this.replay(earlier, fingerprint);
    const cart = await this.cartService.resolveCart(ctx, input.cartId);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { order, placedNow } = await this.placeOrder(ctx, input, cart, scope, fingerprint);
        return placedNow ? { ...toOrderView(order), heldByCaller: true } : this.replay(order, fingerprint);
      } catch (error) {
        if (error instanceof PricesChanged) throw await this.refreshPrices(cart.id, error.lines);
        if (!isUniqueViolation(error)) throw error;
        const winner = await this.orders.byIdempotencyKey(scope, input.idempotencyKey);
        if (winner) return this.replay(winner, fingerprint);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The same key again: the same order, unless the request differs (IDEMPOTENCY_KEY_REUSED). */
  private replay(order: OrderRow, fingerprint: string): OrderView {
    if (order.requestFingerprint !== fingerprint) throw OrdersErrors.create('IDEMPOTENCY_KEY_REUSED', { field: 'input.idempotencyKey' });
    return { ...toOrderView(order), heldByCaller: true };
  }

  /** The new order, or the one a concurrent request with the same key placed while this one waited for the cart. */
  private async placeOrder(ctx: RequestContext, input: CheckoutInput, cart: CartRow, scope: string, fingerprint: string): Promise<{ order: OrderRow; placedNow: boolean }> {
    return this.db.$transaction(async (tx) => {
      await this.carts.lock(tx, cart.id);
      const earlier = await this.orders.byIdempotencyKey(scope, input.idempotencyKey, tx);
      if (earlier) return { order: earlier, placedNow: false };
      const lines = await tx.cartLine.findMany({ where: { cartId: cart.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const first = lines[0];
      if (!first) throw badUserInput('input.cartId', 'The cart is empty.');
      const current = await this.currentVariants(tx, lines);
      const priced = await priceOrder(
        lines.map((line) => {
          const variant = current.get(line.variantId) as CatalogVariant;
          const name = variant.variantName ? `${variant.productName} – ${variant.variantName}` : variant.productName;
          return { variantId: line.variantId, sku: variant.sku, name, unitPrice: money(variant.priceMinor, variant.currency), quantity: line.quantity, weightGrams: variant.weightGrams, taxClass: variant.taxClass };
        }),
        { currency: first.currency, country: input.shippingAddress.country, couponCode: input.couponCode ?? null, shippingQuoteToken: input.shippingQuoteToken ?? null, customerId: ctx.identity.userId, shippingAddress: input.shippingAddress },
        this.pricing,
        tx,
      );
      const order = await tx.order.create({
        data: {
          reference: newOrderReference(),
          customerId: ctx.identity.userId,
          email: input.email ?? null,
          idempotencyScope: scope,
          idempotencyKey: input.idempotencyKey,
          requestFingerprint: fingerprint,
          currency: first.currency,
          subtotalMinor: priced.subtotal.amountMinor,
          discountMinor: priced.discount.amountMinor,
          shippingMinor: priced.shipping.amountMinor,
          taxMinor: priced.tax.amountMinor,
          totalMinor: priced.total.amountMinor,
          shippingAddress: { ...input.shippingAddress, line2: input.shippingAddress.line2 ?? null, phone: input.shippingAddress.phone ?? null },
          couponCode: input.couponCode ?? null,
          lines: {
            create: priced.lines.map((line, position) => ({
              position,
              variantId: line.variantId,
              sku: line.sku,
              name: line.name,
              unitPriceMinor: line.unitPrice.amountMinor,
              quantity: line.quantity,
              weightGrams: line.weightGrams,
              taxRateBp: line.taxRateBp,
              taxMinor: line.tax.amountMinor,
              discountMinor: line.discount.amountMinor,
              lineTotalMinor: line.lineTotal.amountMinor,
            })),
          },
          history: { create: { fromStatus: null, toStatus: 'PENDING', actor: ctx.identity.userId ? `customer:${ctx.identity.userId}` : 'guest', reason: 'checkout' } },
        },
        include: orderWithDetails,
      });
      await tx.cartLine.deleteMany({ where: { cartId: cart.id } });
      await tx.cart.update({ where: { id: cart.id }, data: { currency: null, lastActivityAt: new Date(), reminderSentAt: null } });
      const placedLines = order.lines.map((line) => ({ lineId: line.id, variantId: line.variantId, sku: line.sku, quantity: line.quantity }));
      await appendToOutbox(tx, ORDERS_SOURCE, [orderPlaced(order, placedLines, priced.subtotal, order.couponCode)]);
      return { order, placedNow: true };
    }, TX_OPTIONS);
  }

  /**
   * The catalog's current data for every line (CART-3): a line whose variant is unknown or off sale
   * is OUT_OF_STOCK, a line whose stored price differs from the current one PRICE_CHANGED, each
   * naming the lines. A stale price is never used.
   */
  private async currentVariants(tx: OrdersTx, lines: readonly { id: string; variantId: string; unitPriceMinor: bigint; currency: string }[]) {
    const current = new Map((await this.variants.byIds(lines.map((line) => line.variantId), tx)).map((v) => [v.variantId, v]));
    const unavailable = lines.filter((line) => !current.get(line.variantId)?.active);
    if (unavailable.length > 0) {
      const named = unavailable.map((line) => ({ lineId: line.id, variantId: line.variantId, sku: current.get(line.variantId)?.sku ?? null }));
      throw OrdersErrors.create('OUT_OF_STOCK', { lines: named, message: `${named.length} line(s) can no longer be bought: ${named.map((l) => l.sku ?? l.variantId).join(', ')}` });
    }
    const changed = lines.flatMap((line): ChangedPrice[] => {
      const variant = current.get(line.variantId) as CatalogVariant;
      const previous = money(line.unitPriceMinor, line.currency);
      const now = money(variant.priceMinor, variant.currency);
      return equals(previous, now) ? [] : [{ lineId: line.id, sku: variant.sku, previous, current: now }];
    });
    if (changed.length > 0) throw new PricesChanged(changed);
    return current;
  }

  /** Stores the current prices on the lines (its own transaction), so the customer sees them and may check out again. */
  private async refreshPrices(cartId: string, lines: readonly ChangedPrice[]) {
    await this.db.$transaction(async (tx) => {
      await this.carts.lock(tx, cartId);
      for (const line of lines) {
        await tx.cartLine.updateMany({ where: { id: line.lineId, cartId }, data: { unitPriceMinor: line.current.amountMinor, currency: line.current.currency } });
      }
      await this.carts.touch(tx, cartId);
    }, TX_OPTIONS);
    return OrdersErrors.create('PRICE_CHANGED', {
      lines: lines.map((line) => ({ lineId: line.lineId, sku: line.sku, previous: moneyDetail(line.previous), current: moneyDetail(line.current) })),
      message: `Prices changed for ${lines.map((line) => line.sku).join(', ')}; the cart now shows the current prices.`,
    });
  }
}
