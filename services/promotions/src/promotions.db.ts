import type { Prisma, PrismaClient } from './generated/prisma/client';

/** The promotions Prisma client, and the transaction client inside `$transaction`. */
export type PromotionsDb = PrismaClient;
export type PromotionsTx = Prisma.TransactionClient;

/** Interactive transactions may wait for a coupon's row lock behind other orders; give them room. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** Whether `error` is Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
