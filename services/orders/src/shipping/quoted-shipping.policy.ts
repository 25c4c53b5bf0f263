import type { OrdersTx } from '../orders.db';
import {
  addressHash,
  badUserInput,
  cartFingerprint,
  cheapestMethod,
  money,
  sum,
  verifyShippingQuote,
  type Money,
  type QuoteRefusal,
} from '@shop/platform';
import { OrdersErrors } from '../errors';
import type { PricingLine, PricingRequest, ShippingPolicy } from '../pricing/pricing';
import type { ShippingRatesRepository } from './shipping-rates.repository';

/** The quote settings orders and shipping share (SHIPPING_QUOTE_SECRET, SHIPPING_QUOTE_TTL_SECONDS). */
export interface ShippingQuoteSettings {
  readonly secret: string;
  readonly ttlSeconds: number;
}

const REFUSALS: Record<QuoteRefusal, string> = {
  MALFORMED: 'The shipping quote is not a quote token.',
  BAD_SIGNATURE: 'The shipping quote was not issued by this shop or was altered.',
  EXPIRED: 'The shipping quote has expired; ask for new quotes.',
  OTHER_ADDRESS: 'The shipping quote was made for another address.',
  OTHER_CART: 'The shipping quote was made for other cart contents.',
};

/** The parcel a set of lines makes: total weight and goods subtotal. */
export function parcelOf(lines: readonly { weightGrams: number; quantity: number; unitPrice: Money }[], currency: string) {
  return {
    weightGrams: lines.reduce((grams, line) => grams + line.weightGrams * line.quantity, 0),
    subtotal: sum(lines.map((line) => money(line.unitPrice.amountMinor * BigInt(line.quantity), currency)), currency),
  };
}

/**
 * Shipping at checkout (SHIP-1): a quote token is verified locally (signature, expiry, address, cart
 * contents) and its price is charged even if rates changed since; without a token the cheapest
 * method for the address is used, computed from the newest published rate table. Until shipping
 * has published a table, shipping is free (a token is still refused).
 */
export class QuotedShippingPolicy implements ShippingPolicy {
  constructor(
    private readonly rates: ShippingRatesRepository,
    private readonly settings: ShippingQuoteSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async shippingTotal(lines: readonly PricingLine[], request: PricingRequest, tx?: OrdersTx): Promise<Money> {
    if (request.shippingQuoteToken) return this.quotedPrice(lines, request);
    // Inside checkout's transaction: a read on a second pooled connection could wait forever on a full pool.
    const table = await this.rates.current(tx);
    if (!table) return money(0n, request.currency);
    const parcel = parcelOf(lines, request.currency);
    const cheapest = cheapestMethod(table, { country: request.country, postalCode: request.shippingAddress?.postalCode }, parcel);
    if (!cheapest) throw badUserInput('input.shippingAddress.country', `No shipping method ships to ${request.country} in ${request.currency}.`);
    return cheapest.price;
  }

  private quotedPrice(lines: readonly PricingLine[], request: PricingRequest): Money {
    const token = request.shippingQuoteToken as string;
    const expected = { addressHash: request.shippingAddress ? addressHash(request.shippingAddress) : '', cartFingerprint: cartFingerprint(lines) };
    const check = verifyShippingQuote(token, this.settings.secret, expected, this.now());
    if (!check.ok) throw quoteInvalid(check.reason);
    if (check.claims.price.currency !== request.currency) throw quoteInvalid('OTHER_CART');
    return check.claims.price;
  }
}

/** SHIPPING_QUOTE_INVALID naming why (extension `reason`). */
export function quoteInvalid(reason: QuoteRefusal) {
  return OrdersErrors.create('SHIPPING_QUOTE_INVALID', { field: 'input.shippingQuoteToken', reason, message: REFUSALS[reason] });
}
