import type { Prisma, PrismaClient } from './generated/prisma/client';

/** The shipping Prisma client, and the transaction client inside `$transaction`. */
export type ShippingDb = PrismaClient;
export type ShippingTx = Prisma.TransactionClient;

/** Transactions may wait for the revision row or a shipment row; give them room. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;
