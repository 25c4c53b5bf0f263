import type { Prisma, PrismaClient } from './generated/prisma/client';

/** The orders Prisma client, and the transaction client inside `$transaction`. */
export type OrdersDb = PrismaClient;
export type OrdersTx = Prisma.TransactionClient;

/** Interactive transactions wait for row locks (checkout, saga, cancel); give them room. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** Whether `error` is Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
