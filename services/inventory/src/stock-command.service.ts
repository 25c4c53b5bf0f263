import { appendToOutbox, type DomainEvent, type RequestContext } from '@shop/platform';
import { InventoryErrors } from './errors';
import { INVENTORY_SOURCE } from './events/stock.events';
import { adjustStockArgs, parseArgs, receiveReturnArgs, setStockArgs, thresholdArgs } from './stock.input';
import type { InventoryDb, InventoryTx, LevelRow, MovementMeta, StockRepository } from './stock.repository';
import { retryOnConflict, TRANSACTION_OPTIONS } from './transaction';

/** A stock level as the API shows it. */
export interface StockLevelView extends LevelRow {
  readonly available: number;
}

export const levelView = (level: LevelRow): StockLevelView => ({ ...level, available: level.onHand - level.reserved - level.committed });

/**
 * Staff stock operations (INV-1, SEC-4): set, adjust, receive a return, set the low-stock
 * threshold. Each writes its ledger row with the staff user as actor, the reason and the
 * correlation id in the same transaction as the change, plus any StockLow it causes.
 */
export class StockCommandService {
  constructor(
    private readonly db: InventoryDb,
    private readonly stock: StockRepository,
    private readonly defaultWarehouse: string,
  ) {}

  /** Sets on-hand stock to `quantity`; never below what orders hold (reserved + committed). */
  async setStock(ctx: RequestContext, args: Record<string, unknown>): Promise<StockLevelView> {
    const input = parseArgs(setStockArgs, args);
    return this.onLevel(ctx, input.variantId, input.warehouse, async (tx, level) => {
      const held = level.reserved + level.committed;
      if (input.quantity < held) throw InventoryErrors.belowCommitments('quantity', held);
      return this.stock.change(tx, level.variantId, level.warehouse, { onHand: input.quantity - level.onHand }, this.meta(ctx, 'SET', input.reason));
    });
  }

  /** Changes on-hand stock by `delta` (a count correction, damage, a delivery). */
  async adjustStock(ctx: RequestContext, args: Record<string, unknown>): Promise<StockLevelView> {
    const input = parseArgs(adjustStockArgs, args);
    return this.onLevel(ctx, input.variantId, input.warehouse, async (tx, level) => {
      if (level.onHand + input.delta < level.reserved + level.committed) throw InventoryErrors.belowCommitments('delta', level.reserved + level.committed);
      return this.stock.change(tx, level.variantId, level.warehouse, { onHand: input.delta }, this.meta(ctx, 'ADJUST', input.reason));
    });
  }

  /** Puts returned units back on hand: the only way shipped stock comes back (INV-4). */
  async receiveReturn(ctx: RequestContext, args: Record<string, unknown>): Promise<StockLevelView> {
    const input = parseArgs(receiveReturnArgs, args);
    return this.onLevel(ctx, input.variantId, input.warehouse, (tx, level) =>
      this.stock.change(tx, level.variantId, level.warehouse, { onHand: input.quantity }, { ...this.meta(ctx, 'RETURN', input.reason), orderId: input.orderId ?? null }),
    );
  }

  /** Sets a variant's low-stock threshold; levels already below it raise StockLow now (INV-5). */
  async setLowStockThreshold(ctx: RequestContext, args: Record<string, unknown>): Promise<{ variantId: string; threshold: number }> {
    const input = parseArgs(thresholdArgs, args);
    await retryOnConflict(() =>
      this.db.$transaction(async (tx) => {
        const updated = await tx.variant.updateMany({ where: { id: input.variantId }, data: { lowStockThreshold: input.threshold } });
        if (updated.count === 0) throw InventoryErrors.unknownVariant(input.variantId);
        const levels = await tx.stockLevel.findMany({ where: { variantId: input.variantId }, select: { variantId: true, warehouse: true } });
        await appendToOutbox(tx, INVENTORY_SOURCE, await this.stock.lowStockCrossings(tx, levels));
      }, TRANSACTION_OPTIONS),
    );
    ctx.log.info({ variantId: input.variantId, threshold: input.threshold }, 'low-stock threshold set');
    return { variantId: input.variantId, threshold: input.threshold };
  }

  /** Locks (creating if needed) one level of a known variant, applies `change`, raises StockLow. */
  private async onLevel(
    ctx: RequestContext,
    variantId: string,
    warehouse: string | undefined,
    change: (tx: InventoryTx, level: LevelRow) => Promise<LevelRow>,
  ): Promise<StockLevelView> {
    const level = await retryOnConflict(() =>
      this.db.$transaction(async (tx) => {
        if (!(await tx.variant.findUnique({ where: { id: variantId }, select: { id: true } }))) throw InventoryErrors.unknownVariant(variantId);
        const after = await change(tx, await this.stock.lockLevel(tx, variantId, warehouse ?? this.defaultWarehouse));
        const events: DomainEvent[] = await this.stock.lowStockCrossings(tx, [after]);
        await appendToOutbox(tx, INVENTORY_SOURCE, events);
        return after;
      }, TRANSACTION_OPTIONS),
    );
    ctx.log.info({ variantId, warehouse: level.warehouse, onHand: level.onHand }, 'stock changed by staff');
    return levelView(level);
  }

  private meta(ctx: RequestContext, kind: MovementMeta['kind'], reason: string): MovementMeta {
    return { kind, actor: ctx.identity.userId ?? 'unknown', reason, correlationId: ctx.correlationId };
  }
}
