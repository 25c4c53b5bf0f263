import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { money, type Money } from '../money';

/** What a shipping quote binds: the method, its price, the address and the cart's contents, until it expires. */
export interface ShippingQuoteClaims {
  readonly methodId: string;
  readonly price: Money;
  readonly addressHash: string;
  readonly cartFingerprint: string;
  readonly expiresAt: Date;
}

/** Why a quote token is refused. */
export type QuoteRefusal = 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'OTHER_ADDRESS' | 'OTHER_CART';

/** The address fields a quote binds (AddressInput without the phone). */
export interface QuotedAddress {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | null;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** The result of checking a token: its claims, or why it is refused. */
export type QuoteCheck = { readonly ok: true; readonly claims: ShippingQuoteClaims } | { readonly ok: false; readonly reason: QuoteRefusal };

interface WireClaims {
  m: string;
  p: string;
  c: string;
  a: string;
  f: string;
  e: number;
}

const normalise = (value: string | null | undefined) => (value ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

/** A stable hash of the address a parcel goes to (case and spacing do not matter). */
export function addressHash(address: QuotedAddress): string {
  const parts = [address.name, address.line1, address.line2, address.city, address.postalCode, address.country].map(normalise);
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** A stable hash of a cart's contents: its variants and quantities, in any order. */
export function cartFingerprint(lines: readonly { readonly variantId: string; readonly quantity: number }[]): string {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.variantId, (sums.get(line.variantId) ?? 0) + line.quantity);
  const canonical = [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('base64url');

/** Signs a quote (HMAC-SHA256): `<base64url claims>.<base64url signature>`. */
export function signShippingQuote(claims: ShippingQuoteClaims, secret: string): string {
  const wire: WireClaims = {
    m: claims.methodId,
    p: claims.price.amountMinor.toString(),
    c: claims.price.currency,
    a: claims.addressHash,
    f: claims.cartFingerprint,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
  };
  const body = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

function parseClaims(body: string): ShippingQuoteClaims | undefined {
  try {
    const wire = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<WireClaims>;
    const strings = [wire.m, wire.p, wire.c, wire.a, wire.f];
    if (strings.some((value) => typeof value !== 'string') || typeof wire.e !== 'number' || !/^[0-9]+$/.test(wire.p as string)) return undefined;
    return {
      methodId: wire.m as string,
      price: money(BigInt(wire.p as string), wire.c as string),
      addressHash: wire.a as string,
      cartFingerprint: wire.f as string,
      expiresAt: new Date(wire.e * 1000),
    };
  } catch {
    return undefined;
  }
}

/**
 * Checks a quote token locally: signature first (a tampered token says nothing), then expiry, then
 * that it was made for this address and these cart contents.
 */
export function verifyShippingQuote(
  token: string,
  secret: string,
  expected: { readonly addressHash: string; readonly cartFingerprint: string },
  now: Date = new Date(),
): QuoteCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'MALFORMED' };
  const wanted = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) return { ok: false, reason: 'BAD_SIGNATURE' };
  const claims = parseClaims(body);
  if (!claims) return { ok: false, reason: 'MALFORMED' };
  if (claims.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  if (claims.addressHash !== expected.addressHash) return { ok: false, reason: 'OTHER_ADDRESS' };
  if (claims.cartFingerprint !== expected.cartFingerprint) return { ok: false, reason: 'OTHER_CART' };
  return { ok: true, claims };
}
