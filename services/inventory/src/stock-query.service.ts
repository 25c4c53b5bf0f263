import { badUserInput, type RequestContext } from '@shop/platform';
import { InventoryErrors } from './errors';
import { levelView, type StockLevelView } from './stock-command.service';
import type { InventoryDb, StockRepository } from './stock.repository';

const MAX_PAGE = 100;

/** What a shopper may see of a variant's stock: summed over warehouses; an unknown variant has none. */
export interface StockAvailability {
  readonly available: number;
  readonly inStock: boolean;
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('malformed');
    return { createdAt, id };
  } catch {
    throw badUserInput('after', 'after: is not a cursor from this list');
  }
}

/** Inventory reads: public availability (batched for federation), and staff views of levels, ledger and reservations. */
export class StockQueryService {
  constructor(
    private readonly db: InventoryDb,
    private readonly stock: StockRepository,
  ) {}

  /** A variant's availability; every variant of one request costs one SQL statement together. */
  availability(ctx: RequestContext, variantId: string): Promise<StockAvailability> {
    const loader = ctx.loaders.get<string, StockAvailability>('inventory.availabilityByVariant', async (ids) => {
      const sums = await this.stock.availableByVariant(this.db, ids);
      return ids.map((id) => {
        const available = Math.max(0, sums.get(id) ?? 0);
        return { available, inStock: available > 0 };
      });
    });
    return loader.load(variantId);
  }

  /** Every warehouse's level of a known variant. */
  async stockLevels(_ctx: RequestContext, variantId: string): Promise<StockLevelView[]> {
    await this.requireVariant(variantId);
    const levels = await this.db.stockLevel.findMany({ where: { variantId }, orderBy: { warehouse: 'asc' } });
    return levels.map(levelView);
  }

  /** The variant's ledger, newest first, as a Relay connection (at most 100 per page). */
  async stockMovements(_ctx: RequestContext, variantId: string, first: number | null | undefined, after: string | null | undefined) {
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badUserInput('first', `first: must be between 1 and ${MAX_PAGE}`);
    await this.requireVariant(variantId);
    const cursor = after ? decodeCursor(after) : null;
    const rows = await this.db.stockMovement.findMany({
      where: {
        variantId,
        ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: size + 1,
    });
    const page = rows.slice(0, size);
    const edges = page.map((row) => ({ cursor: encodeCursor(row.createdAt, row.id), node: { ...row, createdAt: row.createdAt.toISOString() } }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** The reservation of an order, or null. */
  async reservation(_ctx: RequestContext, orderId: string) {
    const reservation = await this.db.reservation.findUnique({ where: { orderId }, include: { lines: { orderBy: [{ variantId: 'asc' }, { warehouse: 'asc' }] } } });
    return reservation ? { ...reservation, expiresAt: reservation.expiresAt.toISOString() } : null;
  }

  private async requireVariant(variantId: string): Promise<void> {
    if (!(await this.db.variant.findUnique({ where: { id: variantId }, select: { id: true } }))) throw InventoryErrors.unknownVariant(variantId);
  }
}
